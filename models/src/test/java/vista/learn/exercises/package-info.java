/**
 * The learning path's exercises (docs/learn/): for each, a small interface, the learner's stub
 * ({@code *Exercise}, which throws "your code here" until written), the checks ({@code ChapterN*Checks}),
 * one test running them on the stub (tagged {@code exercise}: skipped by {@code ./vista test}, run by
 * {@code ./vista learn --check N}) and one running them on Vista's own implementation (in the normal suite,
 * so the checks are known to be right). May import anything Vista's tests may.
 */
package vista.learn.exercises;
