using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FibQuant.Design;

/// <summary>A JSON value of the flat spec-file format: a string, a number (kept as its text) or an array of numbers.</summary>
internal sealed class FlatJsonValue
{
    public FlatJsonValue(FlatJsonKind kind, string? text, List<string>? numbers, int line, int column)
    {
        Kind = kind;
        Text = text;
        Numbers = numbers;
        Line = line;
        Column = column;
    }

    public FlatJsonKind Kind { get; }

    /// <summary>The string's value or the number's literal text.</summary>
    public string? Text { get; }

    /// <summary>The array's number literals.</summary>
    public List<string>? Numbers { get; }

    public int Line { get; }

    public int Column { get; }
}

internal enum FlatJsonKind
{
    String,
    Number,
    NumberArray,
}

/// <summary>Thrown inside the reader only; <see cref="CodebookSpecFile.Parse"/> turns it into an error value.</summary>
internal sealed class FlatJsonException : Exception
{
    public FlatJsonException(string message, int line, int column) : base(message)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }
}

/// <summary>
/// A strict reader for one JSON object whose members are strings, numbers or arrays of numbers (no nesting, no
/// duplicates, no trailing commas, no comments). Positions are 1-based line and column.
/// </summary>
internal sealed class FlatJsonReader
{
    private readonly string _text;
    private int _position;
    private int _line = 1;
    private int _column = 1;

    private FlatJsonReader(string text) => _text = text;

    /// <summary>Reads the object's members in file order; throws <see cref="FlatJsonException"/> on malformed input.</summary>
    public static List<KeyValuePair<string, FlatJsonValue>> ReadObject(string text)
    {
        var reader = new FlatJsonReader(text ?? string.Empty);
        var members = new List<KeyValuePair<string, FlatJsonValue>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        reader.SkipWhitespace();
        reader.Expect('{');
        reader.SkipWhitespace();
        if (reader.Peek() == '}')
        {
            reader.Advance();
        }
        else
        {
            while (true)
            {
                reader.SkipWhitespace();
                int keyLine = reader._line, keyColumn = reader._column;
                if (reader.Peek() != '"') throw reader.Error("expected a quoted member name");
                string key = reader.ReadString();
                if (!seen.Add(key)) throw new FlatJsonException($"duplicate member \"{key}\"", keyLine, keyColumn);
                reader.SkipWhitespace();
                reader.Expect(':');
                reader.SkipWhitespace();
                members.Add(new KeyValuePair<string, FlatJsonValue>(key, reader.ReadValue()));
                reader.SkipWhitespace();
                char next = reader.Peek();
                reader.Advance();
                if (next == '}') break;
                if (next != ',') throw new FlatJsonException($"expected ',' or '}}' after member \"{key}\"", reader._line, reader._column - 1);
            }
        }

        reader.SkipWhitespace();
        if (reader._position < reader._text.Length) throw reader.Error("unexpected text after the closing '}'");
        return members;
    }

    private FlatJsonValue ReadValue()
    {
        int line = _line, column = _column;
        char c = Peek();
        if (c == '"') return new FlatJsonValue(FlatJsonKind.String, ReadString(), null, line, column);
        if (c == '-' || (c >= '0' && c <= '9')) return new FlatJsonValue(FlatJsonKind.Number, ReadNumber(), null, line, column);
        if (c == '[')
        {
            Advance();
            var numbers = new List<string>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                Advance();
                return new FlatJsonValue(FlatJsonKind.NumberArray, null, numbers, line, column);
            }

            while (true)
            {
                SkipWhitespace();
                char n = Peek();
                if (n != '-' && (n < '0' || n > '9')) throw Error("expected a number in the array");
                numbers.Add(ReadNumber());
                SkipWhitespace();
                char next = Peek();
                if (next == ']')
                {
                    Advance();
                    return new FlatJsonValue(FlatJsonKind.NumberArray, null, numbers, line, column);
                }

                if (next != ',') throw Error("expected ',' or ']' in the array");
                Advance();
            }
        }

        throw Error(c == '\0' ? "unexpected end of file, expected a value" : $"expected a string, a number or an array of numbers, found '{c}'");
    }

    private string ReadString()
    {
        Expect('"');
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length) throw Error("unterminated string");
            char c = _text[_position];
            if (c == '"')
            {
                Advance();
                return builder.ToString();
            }

            if (c < ' ') throw Error("control character in a string");
            if (c == '\\')
            {
                Advance();
                char e = Peek();
                switch (e)
                {
                    case '"': case '\\': case '/': builder.Append(e); break;
                    case 'n': builder.Append('\n'); break;
                    case 't': builder.Append('\t'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u':
                        if (_position + 5 > _text.Length
                            || !ushort.TryParse(_text.Substring(_position + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                            throw Error("invalid \\u escape");
                        builder.Append((char)code);
                        for (int i = 0; i < 4; i++) Advance();
                        break;
                    default: throw Error("invalid escape sequence");
                }

                Advance();
                continue;
            }

            builder.Append(c);
            Advance();
        }
    }

    private string ReadNumber()
    {
        int start = _position;
        if (Peek() == '-') Advance();
        if (Peek() == '0')
        {
            Advance();
        }
        else
        {
            if (!IsDigit(Peek())) throw Error("invalid number");
            while (IsDigit(Peek())) Advance();
        }

        if (Peek() == '.')
        {
            Advance();
            if (!IsDigit(Peek())) throw Error("invalid number: digits expected after '.'");
            while (IsDigit(Peek())) Advance();
        }

        if (Peek() == 'e' || Peek() == 'E')
        {
            Advance();
            if (Peek() == '+' || Peek() == '-') Advance();
            if (!IsDigit(Peek())) throw Error("invalid number: digits expected in the exponent");
            while (IsDigit(Peek())) Advance();
        }

        return _text.Substring(start, _position - start);
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Advance()
    {
        if (_position >= _text.Length) throw Error("unexpected end of file");
        if (_text[_position] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _position++;
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error(_position >= _text.Length ? $"unexpected end of file, expected '{c}'" : $"expected '{c}', found '{Peek()}'");
        Advance();
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\uFEFF') return;
            Advance();
        }
    }

    private FlatJsonException Error(string message) => new(message, _line, _column);
}
