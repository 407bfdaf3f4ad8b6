/**
 * A page's twin of trainingcode.ts: the identity of the training code this bundle was built from,
 * as Node.js derived it from the same sources when it built the bundle.
 */
declare const __TRAINING_CODE__: string;

export const trainingCodeId = (): string => __TRAINING_CODE__;
