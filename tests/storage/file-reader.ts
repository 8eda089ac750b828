/**
 * Node 20 has no `FileReader`, which the browser build of aws-amplify's Storage uses to read a Blob (it checksums the
 * upload options and the parts of a multipart upload). The tests drive that browser build in Node, so this installs
 * the smallest FileReader it needs — `readAsArrayBuffer` with `onload` / `onerror` — over Node's own `Blob`, as the
 * other stock-client tests install `ws` as the WebSocket Node 20 lacks.
 */
class NodeFileReader {
  static readonly EMPTY = 0;
  static readonly LOADING = 1;
  static readonly DONE = 2;
  readyState = NodeFileReader.EMPTY;
  result: ArrayBuffer | null = null;
  error: unknown = null;
  onload: ((event: { target: NodeFileReader }) => void) | null = null;
  onerror: ((event: { target: NodeFileReader }) => void) | null = null;
  onabort: ((event: { target: NodeFileReader }) => void) | null = null;

  readAsArrayBuffer(blob: Blob): void {
    this.readyState = NodeFileReader.LOADING;
    blob.arrayBuffer().then(
      (buffer) => {
        this.readyState = NodeFileReader.DONE;
        this.result = buffer;
        this.onload?.({ target: this });
      },
      (error: unknown) => {
        this.readyState = NodeFileReader.DONE;
        this.error = error;
        this.onerror?.({ target: this });
      },
    );
  }

  abort(): void {
    this.readyState = NodeFileReader.DONE;
    this.onabort?.({ target: this });
  }
}

export function installFileReader(): void {
  (globalThis as { FileReader?: unknown }).FileReader ??= NodeFileReader;
}
