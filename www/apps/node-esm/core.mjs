// Node ESM: the core entry (wasio/core: the "node" + "import" condition, its own smaller wasm).
import * as core from 'wasio/core';
import { coreProgram } from '../shared/core-program.js';

console.log(await coreProgram(core));
