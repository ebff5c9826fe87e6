/**
 * Share links: the program and its settings, gzip-compressed (CompressionStream) and base64url
 * encoded into the URL hash as `#s=…`. Opening such a link loads the code; it never runs it.
 */
export interface Shared {
  code: string;
  mode: "realtime" | "virtual";
  lang: string;
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

export async function encodeShare(s: Shared): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...s }));
  return "s=" + toBase64Url(await pipe(json, new CompressionStream("gzip")));
}

/** Decodes a `#s=…` hash; undefined when there is none or it does not decode. */
export async function decodeShare(hash: string): Promise<Shared | undefined> {
  const m = /^#?s=([A-Za-z0-9_-]+)/.exec(hash);
  if (!m) return undefined;
  try {
    const json = JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(m[1]), new DecompressionStream("gzip"))));
    if (typeof json.code !== "string") return undefined;
    return {
      code: json.code,
      mode: json.mode === "virtual" ? "virtual" : "realtime",
      lang: typeof json.lang === "string" ? json.lang : "javascript",
    };
  } catch {
    return undefined;
  }
}
