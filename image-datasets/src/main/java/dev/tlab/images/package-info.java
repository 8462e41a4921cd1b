/**
 * Users' own labelled images: a folder or an archive in the layouts image tools read becomes a validated, split,
 * N-class {@link dev.tlab.images.DatasetDescription}, and an image file becomes the RGB pixels PIL would give.
 *
 * <p>Where the rules come from, and where they differ (torchvision 0.14 {@code ImageFolder}, Keras
 * {@code image_dataset_from_directory}, Hugging Face {@code imagefolder}):
 *
 * <ul>
 *   <li>Classes: the top folders' names sorted by code point, as torchvision's {@code find_classes} and Keras do.
 *       Hugging Face labels each file by its immediate parent folder; here, as in torchvision and Keras, images at any
 *       depth below a class folder belong to it.
 *   <li>Images: by extension, case-insensitive: {@code .jpg .jpeg .png .bmp .gif .webp}. torchvision also takes
 *       {@code .ppm .pgm .tif .tiff}, Keras takes no WebP; those files are ignored here and counted.
 *   <li>Hidden names (a leading '.') and {@code __MACOSX} are ignored, as Hugging Face ignores hidden files and
 *       folders; torchvision would make {@code .ipynb_checkpoints} a class and fail on macOS's {@code ._x.jpg}.
 *   <li>Order within a class: torchvision's {@code sorted(os.walk(...))}, by folder path then file name
 *       ({@link dev.tlab.images.ImageOrder}); {@code first-per-class} takes images in that order.
 *   <li>Links in a folder are followed (torchvision follows them; Keras by default does not), but only where they stay
 *       inside the configured roots. Archive entries that are links are refused.
 *   <li>Split folders ({@code train}, {@code val} or {@code validation}, {@code test}, case-insensitive) as Hugging
 *       Face and Keras users lay them out; torchvision has no notion of them.
 *   <li>GIF and animated WebP: the first frame, as all three read them. EXIF orientation is not applied: PIL does not
 *       apply it on open, so torchvision trains on the stored pixels; images with a rotation tag are counted.
 * </ul>
 */
package dev.tlab.images;
