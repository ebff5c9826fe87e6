// What the sandbox worker itself uses of the wasio package (the playground resolves 'wasio' to
// www/ at build time, outside node_modules, so TypeScript sees these declarations instead of the
// package's own; the programs users write are plain JavaScript and are not type-checked).
declare module "wasio" {
  export const trace: { subscribe(callback: (event: unknown) => void): () => void };
  export const TaskGroup: unknown;
  export function loopTime(): number;
}
declare module "wasio/testing" {
  export function runSimulated<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>): Promise<T>;
}
