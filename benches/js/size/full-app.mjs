// The whole-package app of the size table: every export kept.
import * as wasio from 'wasio/slim';

await wasio.init();
globalThis.wasio = wasio;
