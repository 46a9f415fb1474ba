import { errorFingerprint, groupingFrame, parseStack } from './fingerprint';
import { metricKitStackText } from './native-stack';

const JVM_CRASH = (line: number) => `java.lang.IllegalStateException: Cart total is negative
\tat androidx.lifecycle.LiveData.setValue(LiveData.java:306)
\tat com.example.shop.cart.CartTotals.compute(CartTotals.kt:${line})
\tat com.example.shop.cart.CartActivity.onResume(CartActivity.kt:41)
\tat android.app.Activity.performResume(Activity.java:8422)
Caused by: java.lang.ArithmeticException: divide by zero
\tat com.example.shop.cart.Money.div(Money.kt:12)
\t... 4 more`;

describe('native stack traces', () => {
  it('reads JVM frames (Throwable.printStackTrace) and skips the JVM and Android libraries to group', () => {
    const frames = parseStack(JVM_CRASH(57));
    expect(frames[0]).toEqual({
      function: 'androidx.lifecycle.LiveData.setValue',
      file: 'LiveData.java',
      line: 306,
      column: null,
      inApp: false,
    });
    expect(frames).toHaveLength(5);
    expect(groupingFrame(frames)).toMatchObject({ function: 'com.example.shop.cart.CartTotals.compute' });
  });

  it("reads an ANR's StackTraceElement lines, native methods without a file", () => {
    const frames = parseStack(
      'android.os.MessageQueue.nativePollOnce(Native Method)\ncom.example.shop.Repo.load(Repo.kt:88)\n',
    );
    expect(frames).toEqual([
      {
        function: 'android.os.MessageQueue.nativePollOnce',
        file: null,
        line: null,
        column: null,
        inApp: false,
      },
      { function: 'com.example.shop.Repo.load', file: 'Repo.kt', line: 88, column: null, inApp: true },
    ]);
  });

  it('reads Dart frames and groups by the first outside dart: and package:flutter/', () => {
    const frames = parseStack(
      '#0      _rootRun (dart:async/zone.dart:1399:13)\n' +
        '#1      StatelessElement.build (package:flutter/src/widgets/framework.dart:5687:49)\n' +
        '#2      CartModel.<anonymous closure> (package:shop/cart_model.dart:14:7)\n',
    );
    expect(frames.map((f) => f.inApp)).toEqual([false, false, true]);
    expect(frames[2]).toMatchObject({
      function: 'CartModel',
      file: 'package:shop/cart_model.dart',
      line: 14,
    });
  });

  it('reads Apple crash report frames, symbolicated or not, and C++ std::stacktrace frames', () => {
    expect(
      parseStack(
        '0   libsystem_kernel.dylib   0x00000001e2a1b2c3 __pthread_kill + 8\n1   Shop   0x0000000100a1b2c3 Cart.total() + 42',
      ),
    ).toEqual([
      { function: '__pthread_kill', file: 'libsystem_kernel.dylib', line: null, column: null, inApp: false },
      { function: 'Cart.total()', file: 'Shop', line: null, column: null, inApp: true },
    ]);
    expect(
      parseStack(
        ' 0# std::terminate() at /usr/lib/libstdc++.so:1\n 1# shop::Cart::Total() at /src/cart.cpp:42',
      ),
    ).toEqual([
      { function: 'std::terminate()', file: '/usr/lib/libstdc++.so', line: 1, column: null, inApp: false },
      { function: 'shop::Cart::Total()', file: '/src/cart.cpp', line: 42, column: null, inApp: true },
    ]);
  });

  it('writes MetricKit call stack trees as crash report lines, the crashed thread first', () => {
    const tree = JSON.stringify({
      callStackPerThread: false,
      callStacks: [
        {
          threadAttributed: false,
          callStackFrames: [{ binaryName: 'Other', binaryUUID: 'U0', offsetAddress: 1 }],
        },
        {
          threadAttributed: true,
          callStackFrames: [{ binaryName: 'Shop', binaryUUID: 'U1', offsetAddress: 255 }],
        },
      ],
    });
    expect(metricKitStackText(tree)).toBe('0   Shop   0x00000000000000ff Shop + 255 (U1)');
    expect(metricKitStackText('not json')).toBeNull();
    expect(metricKitStackText('{"frames": []}')).toBeNull();
  });

  it('groups one JVM crash across builds (other line numbers) and tells other functions apart', () => {
    const type = 'java.lang.IllegalStateException';
    const a = errorFingerprint({ type, message: 'Cart total is negative', stacktrace: JVM_CRASH(57) });
    const b = errorFingerprint({ type, message: 'Cart total is negative', stacktrace: JVM_CRASH(61) });
    const other = errorFingerprint({
      type,
      message: 'Cart total is negative',
      stacktrace: JVM_CRASH(57).replace('CartTotals.compute', 'CartTotals.round'),
    });
    expect(a).toBe(b);
    expect(other).not.toBe(a);
  });
});
