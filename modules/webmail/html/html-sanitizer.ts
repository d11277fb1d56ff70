import sanitizeHtml from 'sanitize-html';

export interface SanitizeOptions {
  /** Keep http(s) images; otherwise they are replaced by nothing and their address kept in data-remote-src. */
  allowRemoteImages: boolean;
  /** Maps a `cid:` reference (without the scheme, no angle brackets) to the attachment's download URL. */
  resolveContentId?: (contentId: string) => string | null;
}

export interface SanitizedHtml {
  html: string;
  /** Remote images were present and replaced. */
  remoteImagesBlocked: boolean;
}

const ALLOWED_TAGS = [
  'a',
  'abbr',
  'address',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'dfn',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'wbr',
];

const COMMON_ATTRIBUTES = ['style', 'title', 'dir', 'lang', 'align', 'valign', 'width', 'height'];

/**
 * CSS values: words, numbers, units, colours, quotes and rgb()/hsl() — no other function, so no url(),
 * expression(), var() or image-set(); no backslash escapes that could spell them.
 */
const SAFE_VALUE = /^(?:[-#%.,\w\s'"!/]|(?:rgba?|hsla?)\([\d\s.,%/]+\))+$/i;

const SAFE_PROPERTIES = [
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'text-align',
  'text-decoration',
  'text-indent',
  'text-transform',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'white-space',
  'vertical-align',
  'direction',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-collapse',
  'border-spacing',
  'border-radius',
  'width',
  'height',
  'max-width',
  'min-width',
  'max-height',
  'min-height',
  'display',
  'list-style-type',
  'table-layout',
  'overflow-wrap',
  'word-break',
];

const ALLOWED_STYLES = { '*': Object.fromEntries(SAFE_PROPERTIES.map((property) => [property, [SAFE_VALUE]])) };

/** Inline data: images only in raster formats (an SVG document may carry script). */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|jpeg|jpg|gif|webp|bmp);base64,[a-z0-9+/=\s]+$/i;

/**
 * Sanitises the HTML body of a message for display: an allow-list of formatting tags and attributes, so no
 * script, event handler, form, frame, object, SVG, <base>, <meta>, <link> or <style> element survives; links only
 * to http(s)/mailto/tel and opened in a new context without referrer; CSS only as safe inline properties.
 */
export function sanitizeMessageHtml(input: string, options: SanitizeOptions): SanitizedHtml {
  let remoteImagesBlocked = false;
  const html = sanitizeHtml(input, {
    allowedTags: ALLOWED_TAGS,
    disallowedTagsMode: 'discard',
    // Element content dropped along with the element, not shown as text.
    nonTextTags: [
      'script',
      'style',
      'textarea',
      'option',
      'noscript',
      'title',
      'head',
      'template',
      'iframe',
      'object',
      'xmp',
      'noembed',
      'noframes',
      'select',
    ],
    allowedAttributes: {
      '*': COMMON_ATTRIBUTES,
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'data-remote-src'],
      font: ['color', 'face', 'size'],
      table: ['border', 'cellpadding', 'cellspacing', 'bgcolor'],
      td: ['colspan', 'rowspan', 'bgcolor', 'nowrap'],
      th: ['colspan', 'rowspan', 'bgcolor', 'nowrap', 'scope'],
      col: ['span'],
      colgroup: ['span'],
      ol: ['start', 'type'],
      li: ['value'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    allowedStyles: ALLOWED_STYLES,
    parseStyleAttributes: true,
    allowVulnerableTags: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        const src = (attribs.src ?? '').trim();
        const { src: _src, 'data-remote-src': _remote, ...rest } = attribs;
        if (/^cid:/i.test(src)) {
          const url = options.resolveContentId?.(src.slice(4).replace(/^<|>$/g, '')) ?? null;
          return { tagName, attribs: url ? { ...rest, src: url } : rest };
        }
        if (/^data:/i.test(src)) return { tagName, attribs: SAFE_DATA_IMAGE.test(src) ? { ...rest, src } : rest };
        if (/^https?:\/\//i.test(src)) {
          if (options.allowRemoteImages) return { tagName, attribs: { ...rest, src } };
          remoteImagesBlocked = true;
          return { tagName, attribs: { ...rest, 'data-remote-src': src } };
        }
        return { tagName, attribs: rest };
      },
    },
  });
  return { html, remoteImagesBlocked };
}
