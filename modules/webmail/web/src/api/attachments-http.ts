import { asDownloadBlob } from '../logic/inline-images.js';
import type { UploadedFile } from './types.js';
import { sessionHeaders } from './web-session.js';

/**
 * Uploads one file to POST /api/webmail/uploads as raw bytes (XMLHttpRequest, because fetch reports no upload
 * progress); `onProgress` gets 0..1.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ filename: file.name, type: file.type || 'application/octet-stream' });
    request.open('POST', `/api/webmail/uploads?${query}`);
    for (const [name, value] of Object.entries(sessionHeaders())) request.setRequestHeader(name, value);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 201) resolve(JSON.parse(request.responseText) as UploadedFile);
      else reject(new Error(request.status === 413 ? 'TOO_BIG' : `HTTP ${request.status}`));
    };
    request.onerror = () => reject(new Error('NETWORK'));
    request.send(file);
  });
}

/** Fetches an attachment with the session cookie and its csrf header (a plain link would carry no header) as a Blob. */
export async function fetchAttachment(url: string): Promise<Blob> {
  const response = await fetch(url, { credentials: 'same-origin', headers: sessionHeaders() });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.blob();
}

/** Saves an attachment to disk under its own name. */
export async function downloadAttachment(url: string, filename: string): Promise<void> {
  const objectUrl = URL.createObjectURL(asDownloadBlob(await fetchAttachment(url)));
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}
