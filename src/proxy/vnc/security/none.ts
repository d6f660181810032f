/** @module Security type None (1): no authentication. */
import { SecurityType, type SecurityHandler } from './security-type.js';

/** The None security type: nothing is exchanged. */
export class NoneSecurity implements SecurityHandler {
  readonly type = SecurityType.NONE;
  readonly resultAlwaysSent = false;

  authenticate(): boolean {
    return true;
  }
}
