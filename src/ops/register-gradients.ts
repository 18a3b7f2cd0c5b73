/**
 * tfjs-core alone registers no gradient functions (the @tensorflow/tfjs union package does
 * this import for you). Everything that trains imports this module once.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
