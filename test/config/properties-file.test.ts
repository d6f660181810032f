import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePropertiesText, readPropertiesFile } from '../../src/config/properties-file.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/properties/', import.meta.url));

/** Parses `text` and returns its entries as a plain key → value object. */
function values(text: string): Record<string, string> {
  const parsed = parsePropertiesText(text, 'test.properties');
  assert.deepEqual(parsed.problems, []);
  return Object.fromEntries([...parsed.entries].map(([key, entry]) => [key, entry.value]));
}

/** Parses `text` and returns each key's starting line. */
function lines(text: string): Record<string, number> {
  const parsed = parsePropertiesText(text, 'test.properties');
  return Object.fromEntries([...parsed.entries].map(([key, entry]) => [key, entry.line]));
}

void describe('parsePropertiesText', () => {
  void describe('key/value separators', () => {
    void it('splits on "=", ":" or whitespace, with optional whitespace around "=" and ":"', () => {
      assert.deepEqual(values('a=1\nb:2\nc 3\nd = 4\ne : 5\nf\t=\t6\ng\f7\n'), {
        a: '1',
        b: '2',
        c: '3',
        d: '4',
        e: '5',
        f: '6',
        g: '7',
      });
    });

    void it('gives a lone key the empty value', () => {
      assert.deepEqual(values('lone\n   lone-indented   \n'), { lone: '', 'lone-indented': '' });
    });

    void it('gives "key=" the empty value', () => {
      assert.deepEqual(values('key=\nother:'), { key: '', other: '' });
    });

    void it('skips at most one separator, so a second "=" or ":" starts the value', () => {
      assert.deepEqual(values('a==1\nb = =2\nc :=3\nd=:4\ne = : 5'), {
        a: '=1',
        b: '=2',
        c: '=3',
        d: ':4',
        e: ': 5',
      });
    });

    void it('keeps separators that follow the first one in the value', () => {
      assert.deepEqual(values('a=b=c\nurl: http://host:8080/x\nk v=w'), {
        a: 'b=c',
        url: 'http://host:8080/x',
        k: 'v=w',
      });
    });

    void it('keeps trailing whitespace of the value (Guacamole trims later)', () => {
      assert.deepEqual(values('key=value  \t\nother value \f'), {
        key: 'value  \t',
        other: 'value \f',
      });
    });

    void it('skips leading spaces, tabs and form feeds before the key', () => {
      assert.deepEqual(values('   a=1\n\t\tb=2\n\f c=3'), { a: '1', b: '2', c: '3' });
    });

    void it('accepts an empty key', () => {
      assert.deepEqual(values('=v\n:w'), { '': 'w' });
    });

    void it('treats keys as case-sensitive', () => {
      assert.deepEqual(values('Key=1\nkey=2'), { Key: '1', key: '2' });
    });
  });

  void describe('escapes', () => {
    void it('lets escaped "=", ":" and spaces belong to the key', () => {
      assert.deepEqual(values('a\\=b=c\nd\\:e:f\ng\\ h i\nj\\\\=k'), {
        'a=b': 'c',
        'd:e': 'f',
        'g h': 'i',
        'j\\': 'k',
      });
    });

    void it('turns \\t \\n \\r \\f into control characters in keys and values', () => {
      assert.deepEqual(values('k\\ty=a\\tb\\nc\\rd\\fe'), { 'k\ty': 'a\tb\nc\rd\fe' });
    });

    void it('turns a backslash before any other character into that character', () => {
      assert.deepEqual(values('k=\\#\\!\\q\\"\\\\\\ \\='), { k: '#!q"\\ =' });
    });

    void it('decodes \\uXXXX with either case of hex digit, in keys and values', () => {
      assert.deepEqual(values('\\u0041bc=caf\\u00e9 \\u00E9'), { Abc: 'café é' });
    });

    void it('decodes a surrogate pair written as two \\u escapes', () => {
      assert.deepEqual(values('smile=\\uD83D\\uDE00'), { smile: '😀' });
    });

    void it('reports a \\u with fewer than four hex digits, naming file and line', () => {
      const parsed = parsePropertiesText(
        'ok=1\n\nbad=caf\\u00e\nalso=2',
        'home/guacamole.properties',
      );
      assert.deepEqual(parsed.problems, [
        { line: 3, message: 'home/guacamole.properties:3: Malformed \\uxxxx encoding.' },
      ]);
      assert.deepEqual([...parsed.entries.keys()], ['ok', 'also']);
    });

    void it('reports a \\u followed by a non-hex character, and one in a key', () => {
      const parsed = parsePropertiesText('a=\\u12G4\n\\uZZZZ=1\nb=\\u', 'f');
      assert.deepEqual(
        parsed.problems.map((problem) => problem.line),
        [1, 2, 3],
      );
      assert.equal(parsed.entries.size, 0);
    });
  });

  void describe('comments and blank lines', () => {
    void it('ignores lines whose first non-blank character is # or !', () => {
      assert.deepEqual(values('# one\n! two\n   # three\n\t! four\nk=v'), { k: 'v' });
    });

    void it('keeps # and ! that are not at the start of a line', () => {
      assert.deepEqual(values('a=#b\nc=d # e\nf!=g'), { a: '#b', c: 'd # e', 'f!': 'g' });
    });

    void it('ignores blank and whitespace-only lines', () => {
      assert.deepEqual(values('\n   \n\t\f\n\na=1\n\n'), { a: '1' });
    });

    void it('never continues a comment that ends in a backslash', () => {
      assert.deepEqual(values('# comment \\\nk=v'), { k: 'v' });
    });

    void it('returns nothing for empty text or only comments', () => {
      assert.deepEqual(values(''), {});
      assert.deepEqual(values('# just a comment'), {});
    });
  });

  void describe('continuation lines', () => {
    void it('continues a line ending in an odd number of backslashes', () => {
      assert.deepEqual(values('a=one\\\ntwo\nb=x\\\\\\\ny'), { a: 'onetwo', b: 'x\\y' });
    });

    void it('does not continue a line ending in an even number of backslashes', () => {
      assert.deepEqual(values('a=x\\\\\nb=y\\\\\\\\\nc=z'), { a: 'x\\', b: 'y\\\\', c: 'z' });
    });

    void it('skips leading whitespace of the continuation line', () => {
      assert.deepEqual(values('list=a, \\\n     b, \\\n\t\f  c'), { list: 'a, b, c' });
    });

    void it('does not treat # or ! at the start of a continuation line as a comment', () => {
      assert.deepEqual(values('a=x\\\n#y\nb=\\\n   !z'), { a: 'x#y', b: '!z' });
    });

    void it('continues inside a key', () => {
      assert.deepEqual(values('ke\\\n  y=v'), { key: 'v' });
    });

    void it('ends the logical line at an empty continuation line', () => {
      assert.deepEqual(values('a=x\\\n\nb=y'), { a: 'x', b: 'y' });
    });

    void it('drops a lone trailing backslash at end of input', () => {
      assert.deepEqual(values('a=value\\'), { a: 'value' });
      assert.deepEqual(values('a=value\\\n'), { a: 'value' });
    });

    void it('reads a line holding only a backslash at end of input as the empty key (Java does)', () => {
      assert.deepEqual(values('\\'), { '': '' });
      assert.deepEqual(values('a=1\n  \\\n   '), { a: '1' });
    });

    void it('treats # after a backslash-only line as a comment, like JDK 11+', () => {
      assert.deepEqual(values('\\\n#x=1\ny=2'), { y: '2' });
    });
  });

  void describe('line terminators', () => {
    void it('accepts \\n, \\r and \\r\\n, mixed', () => {
      assert.deepEqual(values('a=1\r\nb=2\rc=3\nd=4'), { a: '1', b: '2', c: '3', d: '4' });
    });

    void it('continues across \\r\\n and \\r', () => {
      assert.deepEqual(values('a=1\\\r\n   2\r\nb=3\\\r  4\r'), { a: '12', b: '34' });
    });

    void it('counts \\r\\n as one line when numbering entries', () => {
      assert.deepEqual(lines('a=1\r\n\r\nb=2\r\rc=3\n\r\nd=4'), { a: 1, b: 3, c: 5, d: 7 });
    });
  });

  void describe('entries', () => {
    void it('numbers each entry by the line its logical line starts on', () => {
      assert.deepEqual(lines('# header\n\nfirst=a\\\n  b\\\n  c\n   second=d'), {
        first: 3,
        second: 6,
      });
    });

    void it('lets the last duplicate win, keeping its line', () => {
      const parsed = parsePropertiesText('k=first\nother=x\nk=second', 'f');
      assert.deepEqual(parsed.entries.get('k'), { key: 'k', value: 'second', line: 3 });
      assert.deepEqual([...parsed.entries.keys()], ['other', 'k']);
    });

    void it('reports the file name it was given', () => {
      assert.equal(parsePropertiesText('', 'x.properties').file, 'x.properties');
    });
  });
});

void describe('readPropertiesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guac-properties-file-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  void it('decodes the file as ISO-8859-1, so byte 0xE9 is é', () => {
    const path = join(dir, 'latin1.properties');
    writeFileSync(path, Buffer.from([0x6b, 0x3d, 0x63, 0x61, 0x66, 0xe9]));
    assert.equal(readPropertiesFile(path).entries.get('k')?.value, 'café');
  });

  void it('does not decode UTF-8, so the two bytes of UTF-8 é are two characters', () => {
    const path = join(dir, 'utf8.properties');
    writeFileSync(path, Buffer.from('k=é', 'utf8'));
    assert.equal(readPropertiesFile(path).entries.get('k')?.value, 'Ã©');
  });

  void it('names problems after the path it read', () => {
    const path = join(dir, 'bad.properties');
    writeFileSync(path, 'k=\\u00');
    assert.deepEqual(readPropertiesFile(path).problems, [
      { line: 1, message: `${path}:1: Malformed \\uxxxx encoding.` },
    ]);
  });

  void it('throws the system error for a missing file', () => {
    assert.throws(() => readPropertiesFile(join(dir, 'missing')), { code: 'ENOENT' });
  });

  void it('reads every syntax rule of the Java fixture as Java 17 does', () => {
    const parsed = readPropertiesFile(join(FIXTURES, 'java-syntax.properties'));
    assert.deepEqual(parsed.problems, []);
    const entries = Object.fromEntries([...parsed.entries].map(([k, e]) => [k, e.value]));
    assert.deepEqual(entries, {
      equals: 'value',
      colon: 'value',
      space: 'value',
      spaced: 'value',
      padded: 'value',
      'lone-key': '',
      'empty-value': '',
      'escaped=key': 'value',
      'escaped:key': 'value',
      'escaped key': 'value',
      escapes: 'tab\there\nnewline\\backslash#hashqq',
      unicode: 'café é',
      continued: 'one, two, # not a comment, three',
      'even-backslashes': 'ends with a backslash\\',
      'after-even': 'still its own entry',
      duplicate: 'second',
      'value-with-hash': 'a # b ! c',
    });
    assert.equal(parsed.entries.get('continued')?.line, 16);
    assert.equal(parsed.entries.get('duplicate')?.line, 23);
  });
});
