// An echo server and its client over mem://, an in-memory network with
// real socket semantics (backpressure, half-close), so both run in this
// tab. The server calls its handler once per connection.
import { spawn, startServer, openConnection } from 'wasio';

async function echo(reader, writer) {
  for (;;) {
    const line = await reader.readline();
    if (line.length === 0) break; // the client closed its end
    writer.write(line);
    await writer.drain();
  }
}

async function client(signal) {
  const { reader, writer } = await openConnection('mem://echo', { signal });
  for (const word of ['hello', 'async', 'world']) {
    writer.write(word + '\n');
    const back = await reader.readline({ signal });
    console.log('echoed:', new TextDecoder().decode(back).trim());
  }
  writer.close();
  await writer.waitClosed({ signal });
}

async function main(signal) {
  const server = await startServer(echo, 'mem://echo', { signal });
  await spawn(client, { name: 'client' });
  server.close();
  await server.waitClosed({ signal });
  console.log('server closed');
}

await spawn(main, { name: 'main' });
