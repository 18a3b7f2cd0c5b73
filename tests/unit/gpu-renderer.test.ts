import { describe, expect, it } from 'vitest';
import { classifyGpu } from '../../src/core/gpu-renderer';

describe('classifyGpu: real GPU or software renderer', () => {
  it("recognises headless Chromium's WebGPU fallback adapter (SwiftShader)", () => {
    // What this project's headless Chromium reports with --enable-unsafe-webgpu.
    const c = classifyGpu({
      isFallbackAdapter: true,
      vendor: 'google',
      architecture: 'swiftshader',
      device: '',
      description: '',
    });
    expect(c).toEqual({
      software: true,
      softwareName: 'SwiftShader',
      summary: 'SwiftShader (software)',
    });
  });

  it("recognises WebGL's SwiftShader renderer string through ANGLE", () => {
    const c = classifyGpu({
      glVendor: 'Google Inc. (Google)',
      glRenderer:
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    });
    expect(c.software).toBe(true);
    expect(c.softwareName).toBe('SwiftShader');
  });

  it.each([
    [{ glRenderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, 'llvmpipe'],
    [{ glRenderer: 'Mesa/X.org, llvmpipe (LLVM 12.0.0, 256 bits)' }, 'llvmpipe'],
    [{ vendor: 'mesa', description: 'lavapipe' }, 'lavapipe'],
    [{ glRenderer: 'softpipe' }, 'softpipe'],
    [
      { glRenderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)' },
      'Microsoft Basic Render Driver',
    ],
    [{ description: 'Apple Software Renderer' }, 'a software renderer'],
    [{ glRenderer: 'Google SwiftShader' }, 'SwiftShader'],
  ])('software: %j', (info, name) => {
    const c = classifyGpu(info);
    expect(c.software).toBe(true);
    expect(c.softwareName).toBe(name);
  });

  it('a fallback adapter counts as software even when it names nothing', () => {
    expect(classifyGpu({ isFallbackAdapter: true })).toEqual({
      software: true,
      softwareName: 'a fallback adapter',
      summary: 'fallback adapter (software)',
    });
  });

  it.each([
    [{ vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false }, 'nvidia ampere'],
    [{ vendor: 'apple', architecture: 'metal-3' }, 'apple metal-3'],
    [{ vendor: 'intel', architecture: 'gen-12lp', description: '' }, 'intel gen-12lp'],
    [
      {
        glVendor: 'Google Inc. (NVIDIA)',
        glRenderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      },
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
    ],
    [{ glRenderer: 'Apple M2' }, 'Apple M2'],
    [{ glRenderer: 'Mali-G78' }, 'Mali-G78'],
  ])('real GPU: %j', (info, summary) => {
    expect(classifyGpu(info)).toEqual({ software: false, softwareName: null, summary });
  });

  it('says so when the browser names nothing (hidden adapter info)', () => {
    expect(classifyGpu({})).toEqual({
      software: false,
      softwareName: null,
      summary: 'GPU not named by the browser',
    });
    expect(classifyGpu({ vendor: '  ', architecture: '' }).summary).toBe(
      'GPU not named by the browser',
    );
  });
});
