/** The compression worker (compressWorker.ts), bundled into a script's text by the build (bundle-options.js). */
declare module 'replay-worker-source' {
  const source: string;
  export default source;
}
