import { resourceType } from './resourceTiming';

describe('resourceType', () => {
  it('takes the type from the initiator where it tells', () => {
    expect(resourceType('navigation', 'https://x/')).toBe('document');
    expect(resourceType('fetch', 'https://x/a.css')).toBe('fetch');
    expect(resourceType('xmlhttprequest', 'https://x/a')).toBe('xhr');
    expect(resourceType('script', 'https://x/app')).toBe('js');
    expect(resourceType('img', 'https://x/pixel')).toBe('image');
    expect(resourceType('video', 'https://x/v')).toBe('media');
  });

  it("takes it from the path's extension otherwise, whatever the query, fragment or case", () => {
    expect(resourceType('other', 'https://x/favicon.ico')).toBe('image');
    expect(resourceType('css', 'https://x/fonts/Inter.WOFF2?v=3#x')).toBe('font');
    expect(resourceType('link', 'https://x/app.mjs?x=a.css')).toBe('js');
    expect(resourceType('other', 'https://x/seg-1.ts#t=2')).toBe('media');
    expect(resourceType('other', 'https://x/a.b/logo.svg')).toBe('image');
  });

  it('falls back to css for stylesheet initiators and other for the rest', () => {
    expect(resourceType('link', 'https://cdn.example.com/styles')).toBe('css');
    expect(resourceType('other', 'https://cdn.example.com/data')).toBe('other');
    expect(resourceType('other', 'https://x/file.constructor')).toBe('other');
    expect(resourceType('other', 'https://x/noextension')).toBe('other');
  });
});
