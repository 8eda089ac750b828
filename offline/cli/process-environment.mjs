/**
 * Environment variables for a process that runs the sandbox (what `npm run dev` starts, the benchmarks' sandbox), on
 * top of its own. They must be set when the process starts: glibc reads them once.
 *
 * `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates at the same time as another an arena of its own, up to
 * eight per core, and what an arena frees stays with it. The sandbox's threads (libuv's pool running LevelDB and
 * WebCrypto, V8's compilers and collectors) left several arenas holding memory after a benchmark soak; with two the
 * process starts 20–22 MiB smaller (its growth under a 10-minute soak stays about the same), at no measurable CPU cost
 * (docs/benchmarks.md, "Memory: what grows…"). Lambda execution environments never get it: they start with the
 * function's own environment only (offline/lambda/runner.ts). A value already set is kept. Without glibc it means
 * nothing.
 * @param {NodeJS.ProcessEnv} [env] the environment the process would otherwise get (default: this process's)
 * @returns {NodeJS.ProcessEnv}
 */
export function sandboxProcessEnvironment(env = process.env) {
  return { ...env, MALLOC_ARENA_MAX: env['MALLOC_ARENA_MAX'] ?? '2' };
}
