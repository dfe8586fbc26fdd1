/**
 * `hbsim/testing`: a drop-in for `@temporalio/testing`'s `MockActivityEnvironment` that runs the
 * activity under hbsim's simulation (virtual time, the real throttle and timeouts; opt-in
 * retries, crashes, fault plans and property checks). Change one import:
 *
 * ```ts
 * // import { MockActivityEnvironment } from '@temporalio/testing';
 * import { MockActivityEnvironment } from 'hbsim/testing';
 * ```
 */
export { MockActivityEnvironment, defaultActivityInfo } from '../app/testing/mock-activity-environment.js';
export type { MockActivityEnvironmentOptions, HbsimTestingOptions } from '../app/testing/mock-activity-environment.js';
