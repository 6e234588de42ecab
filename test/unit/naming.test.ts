// SPDX-FileCopyrightText: Copyright (c) 2026 NVIDIA CORPORATION & AFFILIATES. All rights reserved.
// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { detectFramework, frameworkFromConfigFile, frameworkFromImage, normalizeFolderName, parseVscImageName } from '../../src/core/docker/naming';

describe('parseVscImageName', () => {
  const cases: [string, { folder: string; hash: string; suffixes: string[] } | null][] = [
    ['vsc-dynamo1-abc123', { folder: 'dynamo1', hash: 'abc123', suffixes: [] }],
    ['vsc-dynamo1-0a1b2c3d4e5f-uid', { folder: 'dynamo1', hash: '0a1b2c3d4e5f', suffixes: ['uid'] }],
    ['vsc-dynamo_ci-ffee00-features', { folder: 'dynamo_ci', hash: 'ffee00', suffixes: ['features'] }],
    ['vsc-dynamo4-ffee00-features-uid', { folder: 'dynamo4', hash: 'ffee00', suffixes: ['features', 'uid'] }],
    ['vsc-my-proj-9f8e7d-uid', { folder: 'my-proj', hash: '9f8e7d', suffixes: ['uid'] }],
    ['vsc-dynamo1-abc123:latest', { folder: 'dynamo1', hash: 'abc123', suffixes: [] }],
    ['localhost/vsc-dynamo2-abc123:latest', { folder: 'dynamo2', hash: 'abc123', suffixes: [] }],
    ['registry.local:5000/team/vsc-dynamo3-abc-uid@sha256:0123', { folder: 'dynamo3', hash: 'abc', suffixes: ['uid'] }],
    // A folder literally named "uid" is still a folder when nothing else is left.
    ['vsc-uid-abc123', { folder: 'uid', hash: 'abc123', suffixes: [] }],
    ['vsc-dynamo1', null],
    ['vsc--abc', null],
    ['dynamo:latest-vllm-local-dev', null],
    ['myvsc-dynamo1-abc', null],
    ['sha256:0123456789abcdef', null],
    ['', null],
    ['vsc-dynamo1-ABC!', null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected ? expected.folder : 'not a dev container image'}`, () => {
      assert.deepEqual(parseVscImageName(input), expected);
    });
  }
  it('accepts null and undefined', () => {
    assert.equal(parseVscImageName(null), null);
    assert.equal(parseVscImageName(undefined), null);
  });
});

describe('framework detection', () => {
  it('reads the folder that holds devcontainer.json', () => {
    assert.equal(frameworkFromConfigFile('/home/u/dev/dynamo1/.devcontainer/keivenc_trtllm/devcontainer.json'), 'trtllm');
    assert.equal(frameworkFromConfigFile('/home/u/dev/dynamo1/.devcontainer/sglang/devcontainer.json'), 'sglang');
    assert.equal(frameworkFromConfigFile('/home/u/dev/dynamo1/.devcontainer/keivenc_vllm/devcontainer.json'), 'vllm');
    assert.equal(frameworkFromConfigFile('/home/u/dev/dynamo1/.devcontainer/KEIVENC_VLLM/devcontainer.json'), 'vllm');
  });
  it('prefers the component nearest the file over a parent folder name', () => {
    assert.equal(frameworkFromConfigFile('/home/u/vllm-work/dynamo1/.devcontainer/sglang/devcontainer.json'), 'sglang');
    assert.equal(frameworkFromConfigFile('/srv/sglang/dynamo/.devcontainer/trt-llm/devcontainer.json'), 'trtllm');
  });
  it('knows the TensorRT-LLM spellings', () => {
    for (const name of ['trtllm', 'trt-llm', 'trt_llm', 'tensorrt_llm', 'tensorrt-llm', 'tensorrtllm']) {
      assert.equal(frameworkFromConfigFile(`/w/.devcontainer/${name}/devcontainer.json`), 'trtllm', name);
    }
  });
  it('falls back to a substring match in a fixed order', () => {
    assert.equal(frameworkFromConfigFile('/w/.devcontainer/myvllmsetup/devcontainer.json'), 'vllm');
    assert.equal(frameworkFromConfigFile('/w/.devcontainer/devcontainer.json'), 'unknown');
    assert.equal(frameworkFromConfigFile(null), 'unknown');
  });
  it('handles Windows paths', () => {
    assert.equal(frameworkFromConfigFile('C:\\Users\\u\\dynamo1\\.devcontainer\\sglang\\devcontainer.json'), 'sglang');
  });
  it('reads the base image tag', () => {
    assert.equal(frameworkFromImage('dynamo:latest-vllm-local-dev'), 'vllm');
    assert.equal(frameworkFromImage('dynamo:latest-trtllm-local-dev'), 'trtllm');
    assert.equal(frameworkFromImage('nvcr.io/nvidia/ai-dynamo/dynamo:0.4.1-sglang'), 'sglang');
    assert.equal(frameworkFromImage('registry:5000/vllm/dynamo:latest'), 'unknown', 'only the tag counts, not the registry path');
    assert.equal(frameworkFromImage('vsc-dynamo1-abc123'), 'unknown');
  });
  it('config file beats image, and says where it came from', () => {
    assert.deepEqual(detectFramework('/w/.devcontainer/sglang/devcontainer.json', ['dynamo:latest-vllm-local-dev']), { framework: 'sglang', source: 'configFile' });
    assert.deepEqual(detectFramework(null, ['vsc-dynamo1-abc', 'dynamo:latest-vllm-local-dev']), { framework: 'vllm', source: 'image' });
    assert.deepEqual(detectFramework('/w/.devcontainer/devcontainer.json', ['ubuntu:22.04']), { framework: 'unknown', source: 'none' });
  });
  it('normalises folder names for comparison', () => {
    assert.equal(normalizeFolderName(' Dynamo1 '), 'dynamo1');
  });
});
