// Node ESM: the default entry (the "node" + "import" condition).
import * as wasio from 'wasio';
import { program } from '../shared/program.js';

console.log(await program(wasio));
