import { asDownloadBlob } from '../logic/inline-images.js';
import type { UploadedFile } from './types.js';

/**
 * Uploads one file to POST /api/webmail/uploads as raw bytes (XMLHttpRequest, because fetch reports no upload
 * progress); `onProgress` gets 0..1.
 */
export function uploadFile(token: string, file: File, onProgress: (fraction: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ filename: file.name, type: file.type || 'application/octet-stream' });
    request.open('POST', `/api/webmail/uploads?${query}`);
    request.setRequestHeader('authorization', `Bearer ${token}`);
    request.setRequestHeader('content-type', 'application/octet-stream');
    request.upload.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); };
    request.onload = () => {
      if (request.status === 201) resolve(JSON.parse(request.responseText) as UploadedFile);
      else reject(new Error(request.status === 413 ? 'TOO_BIG' : `HTTP ${request.status}`));
    };
    request.onerror = () => reject(new Error('NETWORK'));
    request.send(file);
  });
}

/** Fetches an attachment with the bearer token (a plain link would carry none) as a Blob. */
export async function fetchAttachment(token: string, url: string): Promise<Blob> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.blob();
}

/** Saves an attachment to disk under its own name. */
export async function downloadAttachment(token: string, url: string, filename: string): Promise<void> {
  const objectUrl = URL.createObjectURL(asDownloadBlob(await fetchAttachment(token, url)));
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
}
