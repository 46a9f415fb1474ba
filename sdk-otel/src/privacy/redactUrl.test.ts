import { createUrlRedactor } from './redactUrl';

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
});
