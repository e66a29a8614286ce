// The entry of the worker thread that reads HSDS files (readWorker.ts). A worker does not inherit the loader that
// runs keywork's TypeScript (bin/keywork.js, or `node --import tsx` in the tests), so it registers tsx itself.
import { register } from 'tsx/esm/api'

register()
await import('./readThread.ts')
