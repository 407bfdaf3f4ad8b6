/**
 * The shapes every part of the report shares, defined here once: MNIST's 28 x 28 grey images
 * (784 inputs, stored row-major as bytes 0..255) and its 10 classes.
 */
export const IMAGE_SIZE = 28;
export const INPUT = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = 10;

/** n images (row-major 28 x 28 bytes each) with their labels. */
export interface LabelledSet {
  n: number;
  pixels: Uint8Array; // n x 784, raw 0..255
  labels: Uint8Array; // n, 0..9
}
