// Worker thread: checks a share of a big batch of post files (see check-file.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { checkFile } from './check-file.ts'

const { rootSlash, files } = workerData as { rootSlash: string; files: string[] }
parentPort!.postMessage(files.map((f) => [f, checkFile(rootSlash + f, f)]))
