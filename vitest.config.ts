import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two test files at a time even on 2 cores (vitest's default is cores − 1, i.e. one at a
    // time there): most tests wait on processes they spawn (job workers, the CLI, servers,
    // ffmpeg, python oracles), so two side by side finish the suite in ~20 min instead of ~24
    // (measured on the 2-core CI machine). The timeouts are hang guards, sized for a test
    // that shares the machine with another; long tests set their own.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
