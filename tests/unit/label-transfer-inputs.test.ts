/** What the label import/export and Settings dialogs make of what a person types (renderer logic, no DOM). */
import { describe, expect, it } from 'vitest';
import { guessFormat, joinPath, parseFrameRate, withExtension } from '../../src-renderer/features/label-transfer/format-choices.js';
import { parseSeconds } from '../../src-renderer/features/settings/segmentation-input.js';

describe('label file formats from names', () => {
  it('guesses the format from the extension and telling names', () => {
    expect(guessFormat('/data/labels.csv')).toBe('csv');
    expect(guessFormat('/data/Kinetics400_train.CSV')).toBe('kinetics');
    expect(guessFormat('C:\\data\\train_list.txt')).toBe('mmaction');
    expect(guessFormat('/data/activitynet.v1-3.min.json')).toBe('activitynet');
    expect(guessFormat('/data/export-tasks.json')).toBe('labelstudio');
    expect(guessFormat('/data/labels')).toBeNull();
    expect(guessFormat('/data/notes.md')).toBeNull();
  });

  it('gives a file name the format extension', () => {
    expect(withExtension('labels.csv', 'labelstudio')).toBe('labels.json');
    expect(withExtension('my.labels.json', 'mmaction')).toBe('my.labels.txt');
    expect(withExtension('labels', 'csv')).toBe('labels.csv');
    expect(withExtension('', 'activitynet')).toBe('labels.json');
  });

  it('joins a name to a folder with its own separator', () => {
    expect(joinPath('/home/me', 'a.csv')).toBe('/home/me/a.csv');
    expect(joinPath('/', 'a.csv')).toBe('/a.csv');
    expect(joinPath('C:\\Users\\me', 'a.csv')).toBe('C:\\Users\\me\\a.csv');
  });
});

describe('numbers typed into the dialogs', () => {
  it('reads a frame rate, blank meaning the default', () => {
    expect(parseFrameRate('')).toEqual({});
    expect(parseFrameRate(' 29.97 ')).toEqual({ fps: 29.97 });
    expect(parseFrameRate('0').error).toMatch(/above 0/);
    expect(parseFrameRate('fast').error).toMatch(/"fast"/);
    expect(parseFrameRate('5000').error).toMatch(/at most 1000/);
  });

  it('reads segmentation seconds: positive and at most an hour', () => {
    expect(parseSeconds('1.5', 'stride')).toEqual({ value: 1.5 });
    expect(parseSeconds('', 'stride').error).toBe('The stride is required.');
    expect(parseSeconds('-2', 'clip length').error).toBe('The clip length must be above 0 seconds.');
    expect(parseSeconds('abc', 'clip length').error).toBe('The clip length must be a number of seconds, not "abc".');
    expect(parseSeconds('Infinity', 'stride').error).toMatch(/number of seconds/);
    expect(parseSeconds('3601', 'stride').error).toBe('The stride must be at most 3600 seconds.');
  });
});
