// An echo server and its client over mem:// — an in-memory network with
// real socket semantics, so both run in this tab.
import { spawn, startServer, openConnection } from 'wasio';

const server = await startServer(async (reader, writer) => {
  for (;;) {
    const line = await reader.readline();
    if (!line.length) break;
    await writer.write(line);
  }
  writer.close();
}, 'mem://echo');

const client = spawn(
  async () => {
    const { reader, writer } = await openConnection('mem://echo');
    for (const word of ['hello', 'async', 'world']) {
      await writer.write(new TextEncoder().encode(word + '\n'));
      const back = new TextDecoder().decode(await reader.readline());
      console.log('echoed:', back.trim());
    }
    writer.close();
    await writer.waitClosed();
  },
  { name: 'client' },
);
await client;
server.close();
console.log('server closed');
