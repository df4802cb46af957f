/**
 * Device check before asking for a seat, so a host never accepts someone whose browser then refuses the camera or
 * microphone. Opens the devices once and stops them at once.
 */

/** Resolves null when the devices can be opened (or cannot be checked here), else a message for the user. */
export async function checkDevices(video: boolean): Promise<string | null> {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!md?.getUserMedia) return null; // not a secure context: nothing to check (media needs https or localhost)
  try {
    const stream = await md.getUserMedia({ audio: true, video });
    for (const track of stream.getTracks()) track.stop();
    return null;
  } catch (e) {
    const name = (e as { name?: string }).name;
    const what = video ? 'camera and microphone' : 'microphone';
    if (name === 'NotAllowedError') return `The browser refused access to your ${what}. Allow it in the address bar and try again.`;
    if (name === 'NotFoundError') return `No ${video ? 'camera or microphone' : 'microphone'} was found.`;
    if (name === 'NotReadableError') return `Your ${what} is busy in another application.`;
    return `Your ${what} could not be opened (${name ?? 'error'}).`;
  }
}
