/** Whether this browser can gzip a segment (CompressionStream); otherwise segments travel as JSON. */
export const canGzip = (): boolean => typeof CompressionStream !== 'undefined';

/** gzip of text, off the main thread's JavaScript (the browser compresses natively). */
export async function gzipText(text: string): Promise<Uint8Array> {
  const cs = new CompressionStream('gzip');
  const writer = cs.writable.getWriter();
  void writer.write(new TextEncoder().encode(text));
  void writer.close();
  return new Uint8Array(await new Response(cs.readable).arrayBuffer());
}
