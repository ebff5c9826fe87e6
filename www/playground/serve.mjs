// Serves the built playground (dist/) on 127.0.0.1 — a static server with the right MIME types
// (application/wasm for instantiateStreaming). Usage: node serve.mjs [port] (default $PORT or
// 8000; the next free port is taken if that one is busy). Prints the URL once listening.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), process.env.PLAYGROUND_DIST ?? "dist");
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

export function startServer(port, { quiet = false, host = "127.0.0.1", tries = 20 } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": file.endsWith("sw.js") || file.endsWith(".html") ? "no-cache" : "public, max-age=3600",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((resolveListen, reject) => {
    let attempt = 0;
    const listen = (p) => {
      server.once("error", (e) => {
        if (e.code === "EADDRINUSE" && ++attempt < tries) listen(p + 1);
        else reject(e);
      });
      server.listen(p, host, () => {
        const url = `http://${host}:${server.address().port}/`;
        if (!quiet) console.log(`wasio playground: ${url}`);
        resolveListen({ server, url });
      });
    };
    listen(port);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8000);
  await startServer(port);
}
