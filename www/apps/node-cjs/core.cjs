// Node CommonJS: require('wasio/core') (the "node" + "require" condition).
'use strict';
const core = require('wasio/core');

import('../shared/core-program.js').then(async ({ coreProgram }) => {
  console.log(await coreProgram(core));
});
