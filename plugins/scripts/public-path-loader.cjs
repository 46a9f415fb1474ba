/** Webpack loader: puts the run-time public path code at the top of each plugin's module.ts. */
module.exports = function publicPathLoader(source) {
  return `${this.getOptions().code}\n${source}`;
};
