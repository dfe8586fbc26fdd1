// The pool's worker when hbsim runs from its TypeScript sources under tsx (bench/, scripts):
// worker threads do not inherit tsx's loader in Node 20, so register it here and load the
// sources, never a dist/ that may be older than them.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./pool-worker.ts');
export default worker.default;
