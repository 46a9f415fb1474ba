import type { AppType } from '../application';
import { customSnippets, androidSnippets, appleSnippets, cppSnippets, flutterSnippets } from './native';
import { miniProgramSnippets, reactNativeSnippets } from './javascript-sdk';
import { readSdkFile } from './sdk-files';
import type { Snippet, SnippetContext } from './snippet';
import { webSnippets } from './web';

export type { Snippet, SnippetContext } from './snippet';

/** The integration snippets of one application type, filled in with the application's settings. */
export async function snippetsFor(type: AppType, ctx: SnippetContext): Promise<Snippet[]> {
  switch (type) {
    case 'web':
      return webSnippets(ctx, (await readSdkFile('loader.min.js')).toString('utf8'));
    case 'react-native':
      return reactNativeSnippets(ctx);
    case 'miniapp':
      return miniProgramSnippets(ctx, 'wx');
    case 'uniapp':
      return miniProgramSnippets(ctx, 'uni');
    case 'android':
      return androidSnippets(ctx);
    case 'ios':
    case 'macos':
      return appleSnippets(ctx);
    case 'flutter':
      return flutterSnippets(ctx);
    case 'cpp':
      return cppSnippets(ctx);
    case 'custom':
      return customSnippets(ctx);
  }
}
