// Node CommonJS: require('wasio') (the "node" + "require" condition).
'use strict';
const wasio = require('wasio');

import('../shared/program.js').then(async ({ program }) => {
  console.log(await program(wasio));
});
