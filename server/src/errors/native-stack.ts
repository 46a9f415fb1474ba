/*
 * Stack traces of native apps, read into the same frames as browser stacks:
 *   JVM (Android crashes: Throwable.printStackTrace):  "\tat com.shop.Cart.total(Cart.kt:42)"
 *   JVM (Android ANRs: StackTraceElement.toString):    "com.shop.Cart.total(Cart.kt:42)"
 *   Dart (Flutter: StackTrace.toString):               "#0      Cart.total (package:shop/cart.dart:42:7)"
 *   Apple (crash reports; MetricKit stacks as written by metricKitStackText): "0   Shop   0x0000000100a1b2c3 Cart.total + 42"
 *   C++ (std::stacktrace, boost::stacktrace):          " 0# Cart::Total() at /src/cart.cpp:42"
 * Each parser also says whether a frame is the app's own code (`inApp`), since the browser's rules
 * (URLs, vendor bundles) do not apply to class names, packages or binaries.
 */
import type { Frame } from './stack';

const JVM_AT = /^\s*at ([\w$.<>/-]+)\(([^()]*)\)\s*$/;
const JVM_BARE = /^\s*([\w$]+(?:\.[\w$<>-]+)+)\(([^()]*)\)\s*$/;
const DART = /^#\d+\s+(.+?) \((.+?)\)\s*$/;
const APPLE = /^\s*\d+\s+(\S+)\s+0x[0-9a-fA-F]+\s+(.+?)\s*$/;
const CPP = /^\s*\d+#\s+(.*?)(?: at (.+):(\d+))?\s*$/;

/** Packages of the JVM, Android, Kotlin and common libraries: frames there say where, not which bug. */
const JVM_LIBRARY =
  /^(?:java|javax|jdk|sun|android|androidx|dalvik|kotlin|kotlinx|com\.android|com\.google\.android|okhttp3|okio|retrofit2|io\.opentelemetry)\./;
/** Binaries of Apple's system: libraries and frameworks every app links. */
const APPLE_SYSTEM =
  /^(?:lib\S*\.dylib|dyld|UIKitCore|UIKit|Foundation|CoreFoundation|GraphicsServices|SwiftUI|AppKit|QuartzCore|CFNetwork|libswiftCore\S*)$/;

function jvmFrame(fn: string, location: string): Frame {
  const m = /^(.*?):(\d+)$/.exec(location);
  const file = m ? (m[1] as string) : null;
  return {
    function: fn,
    file: file && file !== 'Unknown Source' ? file : null,
    line: m ? Number(m[2]) : null,
    column: null,
    inApp: !JVM_LIBRARY.test(fn),
  };
}

function dartFrame(fn: string, location: string): Frame {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(location);
  const file = m ? (m[1] as string) : location;
  return {
    function: fn.replace(/\.<anonymous closure>/g, '').trim() || null,
    file,
    line: m ? Number(m[2]) : null,
    column: m?.[3] !== undefined ? Number(m[3]) : null,
    inApp: !file.startsWith('dart:') && !file.startsWith('package:flutter/'),
  };
}

function appleFrame(binary: string, symbol: string): Frame {
  // "Cart.total + 42": the offset moves with every build; an unsymbolicated "Shop + 165304" keeps it.
  const symbolicated = !symbol.startsWith(`${binary} +`) && !symbol.startsWith('0x');
  return {
    function: symbolicated ? symbol.replace(/\s+\+\s+\d+$/, '') : symbol,
    file: binary,
    line: null,
    column: null,
    inApp: !APPLE_SYSTEM.test(binary),
  };
}

function cppFrame(fn: string, file: string | undefined, line: string | undefined): Frame {
  const name = fn.trim() || null;
  return {
    function: name,
    file: file ?? null,
    line: line === undefined ? null : Number(line),
    column: null,
    inApp:
      file !== undefined &&
      !file.startsWith('/usr/') &&
      !/^(?:std::|__libc_|_start|__cxa_|__gnu_cxx::)/.test(name ?? ''),
  };
}

/**
 * The frames of a native stack trace, innermost first, or null when the text is none of the native
 * shapes (then it is a browser stack).
 */
export function parseNativeStack(lines: readonly string[]): Frame[] | null {
  const readers: [RegExp, (m: RegExpExecArray) => Frame][] = [
    [JVM_AT, (m) => jvmFrame(m[1] as string, m[2] as string)],
    [DART, (m) => dartFrame(m[1] as string, m[2] as string)],
    [APPLE, (m) => appleFrame(m[1] as string, m[2] as string)],
    [CPP, (m) => cppFrame(m[1] as string, m[2], m[3])],
    [JVM_BARE, (m) => jvmFrame(m[1] as string, m[2] as string)],
  ];
  for (const [re, read] of readers) {
    if (!lines.some((l) => re.test(l))) continue;
    const frames: Frame[] = [];
    for (const line of lines) {
      const m = re.exec(line);
      if (m) frames.push(read(m));
    }
    return frames;
  }
  return null;
}

/** One frame of a MetricKit call stack (opentelemetry-swift's StackTraceFormat.md). */
interface MetricKitFrame {
  binaryName?: unknown;
  binaryUUID?: unknown;
  offsetAddress?: unknown;
}

/**
 * MetricKit's call stack tree (JSON, as opentelemetry-swift writes it in exception.stacktrace) as the
 * lines of an Apple crash report, the stack of the thread the crash is attributed to first; null when
 * the text is not that JSON.
 */
export function metricKitStackText(json: string): string | null {
  let tree: { callStacks?: { threadAttributed?: boolean; callStackFrames?: MetricKitFrame[] }[] };
  try {
    tree = JSON.parse(json);
  } catch {
    return null;
  }
  const stacks = Array.isArray(tree?.callStacks) ? tree.callStacks : null;
  if (!stacks) return null;
  const stack = stacks.find((s) => s?.threadAttributed) ?? stacks[0];
  const frames = Array.isArray(stack?.callStackFrames) ? stack.callStackFrames : [];
  return frames
    .map((f, i) => {
      const binary = typeof f.binaryName === 'string' ? f.binaryName : '???';
      const offset = typeof f.offsetAddress === 'number' ? f.offsetAddress : 0;
      const address = `0x${offset.toString(16).padStart(16, '0')}`;
      const uuid = typeof f.binaryUUID === 'string' ? ` (${f.binaryUUID})` : '';
      return `${i}   ${binary}   ${address} ${binary} + ${offset}${uuid}`;
    })
    .join('\n');
}
