"""Secret family (guide tip: never commit the client secret): OA101 Python literals, OA102 config
values, OA103 known token formats and high-entropy strings in any text file."""
