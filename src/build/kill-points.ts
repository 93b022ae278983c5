// Named steps of a build at which a test can kill the process for real: PEERFEED_BUILD_KILL_AT=<step> makes the
// build SIGKILL itself there (no cleanup runs, exactly like `kill -9`). Unset, each call is one env lookup.
// Steps, in order: prepare, site, pages, state, complete, swapped, and after a build from nothing mirror (docs/build.md,
// "Atomic builds").
export function reached(step: string): void {
  if (process.env.PEERFEED_BUILD_KILL_AT === step) process.kill(process.pid, 'SIGKILL')
}
