// Starts a worker thread from a module named by its TypeScript source: the compiled .js under lib/, or the .ts through tsx.
import { Worker, type WorkerOptions } from 'node:worker_threads'

const compiled = import.meta.url.endsWith('.js')

/** `startWorker(new URL('./x-worker.ts', import.meta.url), { workerData })`, from src/ or from lib/ alike. */
export function startWorker(source: URL, opts: WorkerOptions = {}): Worker {
  if (compiled) return new Worker(new URL(source.href.replace(/\.ts$/, '.js')), opts)
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}) })`
  return new Worker(boot, { ...opts, eval: true })
}
