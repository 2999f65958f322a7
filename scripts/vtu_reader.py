"""Read what chemokin writes for ParaView (.pvd -> .pvtu -> .vtu), without VTK.

deal.II's DataOutBase::write_vtu writes unstructured grids whose arrays are
`ascii`, or `binary`: base64 of a UInt32 header and the data, which with
`compressor="vtkZLibDataCompressor"` are zlib blocks (header: number of
blocks, block size, size of the last block, the compressed sizes). This
module reads those, and nothing else of VTK's formats.
"""
import base64
import os
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import numpy

TYPES = {"Float32": "<f4", "Float64": "<f8", "Int32": "<i4", "Int64": "<i8",
         "UInt8": "<u1", "UInt32": "<u4", "UInt64": "<u8"}


def series(pvd):
    """[(time, path)] of a .pvd file, in its order."""
    root = ET.parse(pvd).getroot()
    base = os.path.dirname(pvd)
    return [(float(d.get("timestep")), os.path.join(base, d.get("file")))
            for d in root.iter("DataSet")]


def _decode(text, dtype, compressed):
    text = "".join(text.split())
    if not compressed:
        raw = base64.b64decode(text)
        (size,) = struct.unpack("<I", raw[:4])
        return numpy.frombuffer(raw[4:4 + size], dtype=dtype)
    # the header is its own base64 chunk: 3 + n_blocks UInt32
    first = base64.b64decode(text[:8])
    (blocks,) = struct.unpack("<I", first[:4])
    header_bytes = 4 * (3 + blocks)
    header_chars = 4 * ((header_bytes + 2) // 3)
    header = struct.unpack("<%dI" % (3 + blocks), base64.b64decode(text[:header_chars])[:header_bytes])
    data = base64.b64decode(text[header_chars:])
    out, offset = [], 0
    for size in header[3:]:
        out.append(zlib.decompress(data[offset:offset + size]))
        offset += size
    return numpy.frombuffer(b"".join(out), dtype=dtype)


def _array(element, compressed):
    dtype = TYPES[element.get("type")]
    if element.get("format") == "ascii":
        values = numpy.array(element.text.split(), dtype=dtype)
    else:
        values = _decode(element.text or "", dtype, compressed)
    components = int(element.get("NumberOfComponents", "1"))
    return values.reshape(-1, components) if components > 1 else values


def read_vtu(path):
    """dict: points (n, 3), cells (list of point-index arrays), types, and
    one array per point-data name."""
    root = ET.parse(path).getroot()
    compressed = root.get("compressor") is not None
    piece = root.find("UnstructuredGrid/Piece")
    result = {"points": _array(piece.find("Points/DataArray"), compressed).astype(float)}
    cells = {a.get("Name"): _array(a, compressed) for a in piece.find("Cells")}
    offsets = cells["offsets"].astype(int)
    starts = numpy.concatenate([[0], offsets[:-1]])
    result["cells"] = [cells["connectivity"][a:b].astype(int) for a, b in zip(starts, offsets)]
    result["types"] = cells["types"].astype(int)
    data = piece.find("PointData")
    for a in (data if data is not None else []):
        result[a.get("Name")] = _array(a, compressed).astype(float)
    return result


def read(path):
    """A .vtu, or a .pvtu with its pieces joined (point indices shifted)."""
    if not path.endswith(".pvtu"):
        return read_vtu(path)
    with open(path) as f:
        sources = re.findall(r'<Piece Source="([^"]+)"', f.read())
    joined = {}
    for source in sources:
        part = read_vtu(os.path.join(os.path.dirname(path), source))
        shift = len(joined["points"]) if joined else 0
        part["cells"] = [c + shift for c in part["cells"]]
        for key, value in part.items():
            if key not in joined:
                joined[key] = value
            elif key == "cells":
                joined[key] = joined[key] + value
            else:
                joined[key] = numpy.concatenate([joined[key], value])
    return joined


def triangles(mesh, keep=None):
    """Triangles of the 2-D cells (VTK quads and triangles), for matplotlib's
    tripcolor; keep(cell point indices) may select cells."""
    result = []
    for cell, kind in zip(mesh["cells"], mesh["types"]):
        if keep is not None and not keep(cell):
            continue
        if kind == 9:  # quad, counter-clockwise
            result += [[cell[0], cell[1], cell[2]], [cell[0], cell[2], cell[3]]]
        elif kind == 5:
            result.append(list(cell))
    return numpy.array(result, dtype=int).reshape(-1, 3)
