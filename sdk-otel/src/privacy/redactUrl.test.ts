import { createUrlRedactor, redactParams, redactUrlsIn } from './redactUrl';

describe('URL redaction', () => {
  const redact = createUrlRedactor(true, ['ssn']);

  it('replaces values of sensitive query and fragment parameters, keeps the others', () => {
    expect(redact('https://a.com/p?q=shoes&token=abc&api_key=k&page=2')).toBe(
      'https://a.com/p?q=shoes&token=REDACTED&api_key=REDACTED&page=2',
    );
    expect(redact('https://a.com/cb#access_token=xyz&state=1')).toBe(
      'https://a.com/cb#access_token=REDACTED&state=1',
    );
    expect(redact('https://a.com/?code=123&SSN=999')).toBe('https://a.com/?code=REDACTED&SSN=REDACTED');
    expect(redact('https://a.com/?Password=hunter2')).toBe('https://a.com/?Password=REDACTED');
  });

  it('removes credentials, e-mail addresses and JWTs anywhere', () => {
    expect(redact('https://user:pw@a.com/x')).toBe('https://a.com/x');
    expect(redact('https://a.com/users/ann.lee@example.com/edit')).toBe('https://a.com/users/REDACTED/edit');
    expect(redact('https://a.com/?to=ann%40example.org')).toBe('https://a.com/?to=REDACTED');
    expect(redact('https://a.com/r/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX3g')).toBe(
      'https://a.com/r/REDACTED',
    );
  });

  it('leaves ordinary URLs alone and runs a custom rule after the defaults', () => {
    expect(redact('https://a.com/users/42?tab=profile')).toBe('https://a.com/users/42?tab=profile');
    const custom = createUrlRedactor(true, [], (u) => u.replace(/\/users\/\d+/, '/users/:id'));
    expect(custom('https://a.com/users/42?token=t')).toBe('https://a.com/users/:id?token=REDACTED');
    expect(createUrlRedactor(false, [], undefined)('https://a.com/?token=t')).toBe('https://a.com/?token=t');
  });

  it('finds parameters exactly where the pattern ([?&#;])([^=&#;]+)=([^&#;]*) would', () => {
    const pattern = /([?&#;])([^=&#;]+)=([^&#;]*)/g;
    const sensitive = (name: string) => name.length % 2 === 0 || name.includes('?');
    const urls = [
      'https://a.com/p?q=1&ab=2&abc=3#cd=4;ef=5',
      'https://a.com/p?=x&a==b&&bb=&c#',
      'https://a.com/p??aa=1&x?y=2&k=v=w;m=n',
      'https://a.com/p?novalue&aa=1#frag',
      'https://a.com/;jsessionid=12?x=1',
      '?a=1&bb',
      'no parameters at all',
      '',
    ];
    for (const url of urls)
      expect(redactParams(url, sensitive)).toBe(
        url.replace(pattern, (m, sep: string, name: string) =>
          sensitive(name) ? `${sep}${name}=REDACTED` : m,
        ),
      );
  });

  it('treats the same parameter names as sensitive as the pattern it replaced', () => {
    const old =
      /token|secret|passw|pwd|auth|api[-_]?key|access[-_]?key|signature|^sig$|session|^sid$|jwt|^code$|credential|otp|^key$/i;
    const redact = createUrlRedactor(true, []);
    const names = [
      'access_token',
      'Token',
      'client_secret',
      'password',
      'PWD',
      'oauth',
      'author',
      'apiKey',
      'api-key',
      'api_key',
      'apikeys',
      'accessKey',
      'access-key',
      'X-Amz-Signature',
      'sig',
      'signal',
      'sid',
      'sidebar',
      'code',
      'zipcode',
      'key',
      'keyword',
      'jsessionid',
      'jwt',
      'credentials',
      'otp',
      'hotpink',
      'q',
      'page',
      'api%5Fkey',
      'to%6Ben',
    ];
    for (const name of names) {
      const decoded = decodeURIComponent(name);
      expect([name, redact(`https://a.com/?${name}=v`).endsWith('=REDACTED')]).toEqual([
        name,
        old.test(decoded),
      ]);
    }
  });

  it('finds each absolute URL in free text, without the line and column of a stack frame', () => {
    const url = 'https://a.com/p?token=t1&q=ok';
    expect(redactUrlsIn(`at f (${url}:3:9)\nat ${url}:4\n@${url}`, redact)).toBe(
      'at f (https://a.com/p?token=REDACTED&q=ok:3:9)\nat https://a.com/p?token=REDACTED&q=ok:4\n@https://a.com/p?token=REDACTED&q=ok',
    );
    expect(redactUrlsIn(`'${url}' and "http://b.org:8080/x?api_key=k"`, redact)).toBe(
      `'https://a.com/p?token=REDACTED&q=ok' and "http://b.org:8080/x?api_key=REDACTED"`,
    );
    expect(redactUrlsIn('no URL here: token=abc', redact)).toBe('no URL here: token=abc');
  });
});
