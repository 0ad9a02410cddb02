/**
 * {@code vista predict}: a model's top classes for single image files. {@link vista.models.app.predict.Predictor}
 * is a model with the way its images are prepared ({@link vista.models.app.predict.ImageInput}) and its
 * class names, from a Vista checkpoint or from released weights of a zoo model;
 * {@link vista.models.app.predict.Prediction} is one image's logits, probabilities and top classes.
 *
 * <p>The rule of this package: an image is prepared exactly as the model's evaluation data was (the same
 * decoding, colour mode, geometry and normalisation), or refused with a sentence naming the file; it never
 * guesses by resizing an image the model was not trained to see resized.
 */
package vista.models.app.predict;
