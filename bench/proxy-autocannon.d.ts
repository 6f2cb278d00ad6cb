// The part of autocannon's API bench/proxy.ts uses (the package ships no types).
declare module 'autocannon' {
  interface Options { url: string; headers?: Record<string, string>; connections?: number; pipelining?: number; duration?: number }
  interface Result { requests: { average: number; total: number }; non2xx: number; errors: number }
  export default function autocannon(options: Options): Promise<Result>;
}
