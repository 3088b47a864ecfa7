// Photos are made smaller on the device before they are queued: a phone picture of 4-12 MB
// becomes a JPEG of a few hundred kB, which a weak mobile connection can send.
export const PHOTO_MAX_SIDE = 1600; // px, longest side
export const PHOTO_QUALITY = 0.85;

function scaled(width, height, max) {
  const ratio = Math.min(1, max / Math.max(width, height));
  return { width: Math.round(width * ratio), height: Math.round(height * ratio) };
}

async function encode(bitmap, width, height) {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: PHOTO_QUALITY });
  }
  const canvas = document.createElement('canvas');
  Object.assign(canvas, { width, height });
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob(
    (blob) => (blob ? resolve(blob) : reject(new Error('encoding failed'))), 'image/jpeg', PHOTO_QUALITY,
  ));
}

/** {blob, filename, width, height}: a JPEG whose longest side is at most `max` px. */
export async function downscale(file, max = PHOTO_MAX_SIDE) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const { width, height } = scaled(bitmap.width, bitmap.height, max);
    const blob = await encode(bitmap, width, height);
    const stem = (file.name || 'photo').replace(/\.[^.]*$/, '') || 'photo';
    return { blob, filename: `${stem}.jpg`, width, height };
  } finally {
    bitmap.close();
  }
}
