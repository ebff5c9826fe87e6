// Node ESM, wasio/slim: init(bytes) with the wasm file read from the installed package.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasio from 'wasio/slim';
import { program } from '../shared/program.js';

const wasmPath = createRequire(import.meta.url).resolve('wasio/wasio_bg.wasm');
await wasio.init(readFileSync(wasmPath));
console.log(await program(wasio));
