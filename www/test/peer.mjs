// A real WebSocket echo peer on 127.0.0.1 (a free port), for the suite's ws:// test: echoes every
// binary message back. Used by the Node runners and by browser.mjs for the page.
import { WebSocketServer } from 'ws';

export async function startEchoPeer() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  return { url: `ws://127.0.0.1:${wss.address().port}/`, close: () => new Promise((r) => wss.close(r)) };
}
