"""One pictogram per interest area, drawn as vector shapes on the poster.

Drawn here in code rather than shipped as image files: no licence to check (our own work,
CC0 like the rest of the artwork would be), no emoji font needed (headless machines have
none), and the shapes stay sharp on A3. Each drawing works in a 100 × 100 box: a filled
disc in the accent colour with a white figure on it, simple enough to read across a room.
The twelve area ids are the stable ones of DESIGN.md; a sub-topic uses its area's picture.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.colors import Color, white
from reportlab.pdfgen.canvas import Canvas

Draw = Callable[[Canvas, Color], None]


def draw(canvas: Canvas, interest: str, x: float, y: float, size: float, colour: Color) -> bool:
    """The pictogram of an area id at (x, y), `size` points wide; False when there is none."""
    figure = PICTOGRAMS.get(interest)
    if figure is None:
        return False
    _in_box(canvas, x, y, size, colour, figure)
    return True


def phone(canvas: Canvas, x: float, y: float, size: float, colour: Color) -> None:
    """A telephone handset, for the "call instead" line."""
    _in_box(canvas, x, y, size, colour, _handset)


def _in_box(canvas: Canvas, x: float, y: float, size: float, colour: Color, figure: Draw) -> None:
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / 100, size / 100)
    canvas.setFillColor(colour)
    canvas.circle(50, 50, 50, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setStrokeColor(white)
    canvas.setLineCap(1)  # round ends and joins: friendlier shapes
    canvas.setLineJoin(1)
    figure(canvas, colour)
    canvas.restoreState()


def _polygon(canvas: Canvas, points: list[tuple[float, float]], fill: bool = True) -> None:
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=0 if fill else 1, fill=1 if fill else 0)


def _heart(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    """A heart whose lobes have radius `r`, its widest part around (cx, cy)."""
    path = canvas.beginPath()
    path.moveTo(cx, cy - 2.2 * r)
    path.curveTo(cx - 1.2 * r, cy - 1.2 * r, cx - 2.2 * r, cy - 0.4 * r, cx - 2 * r, cy + 0.5 * r)
    path.curveTo(cx - 1.8 * r, cy + 1.6 * r, cx - 0.3 * r, cy + 1.7 * r, cx, cy + 0.6 * r)
    path.curveTo(cx + 0.3 * r, cy + 1.7 * r, cx + 1.8 * r, cy + 1.6 * r, cx + 2 * r, cy + 0.5 * r)
    path.curveTo(cx + 2.2 * r, cy - 0.4 * r, cx + 1.2 * r, cy - 1.2 * r, cx, cy - 2.2 * r)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _ball(canvas: Canvas, colour: Color) -> None:
    """sport: a football – white ball, a dark pentagon in the middle, seams to the edge."""
    canvas.circle(50, 50, 30, stroke=0, fill=1)
    canvas.setFillColor(colour)
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(3)
    corners = [(50, 62), (61.4, 53.7), (57, 40.3), (43, 40.3), (38.6, 53.7)]
    _polygon(canvas, corners)
    for (px, py), (ex, ey) in zip(
        corners, [(50, 80), (78.5, 59.3), (67.6, 25.7), (32.4, 25.7), (21.5, 59.3)], strict=True
    ):
        canvas.line(px, py, ex, ey)


def _notes(canvas: Canvas, colour: Color) -> None:
    """kultur: two beamed musical notes."""
    canvas.ellipse(24, 26, 42, 40, stroke=0, fill=1)
    canvas.ellipse(56, 32, 74, 46, stroke=0, fill=1)
    canvas.setLineWidth(5)
    canvas.line(39.5, 34, 39.5, 74)
    canvas.line(71.5, 40, 71.5, 80)
    _polygon(canvas, [(37, 70), (74, 76), (74, 84), (37, 78)])


def _helping_hands(canvas: Canvas, colour: Color) -> None:
    """soziales: a heart held in an open hand (palm up, thumb raised, sleeve at the right)."""
    _heart(canvas, 46, 62, 9)
    hand = canvas.beginPath()
    hand.moveTo(74, 24)
    hand.lineTo(40, 24)
    hand.curveTo(28, 24, 20, 30, 17, 40)  # the fingertips, curled up at the left
    hand.curveTo(16, 44, 20, 46, 23, 43)
    hand.curveTo(28, 37, 34, 36, 44, 36)
    hand.lineTo(56, 36)
    hand.curveTo(60, 40, 62, 46, 66, 50)  # the thumb, raised beside the heart
    hand.curveTo(70, 53, 74, 50, 72, 46)
    hand.lineTo(70, 40)
    hand.lineTo(74, 40)
    hand.close()
    canvas.drawPath(hand, stroke=0, fill=1)
    canvas.rect(76, 20, 10, 24, stroke=0, fill=1)  # the cuff


def _child(canvas: Canvas, colour: Color) -> None:
    """kinder-jugend: a grown-up and a child holding hands."""
    canvas.setLineWidth(6)
    canvas.circle(36, 72, 8, stroke=0, fill=1)  # grown-up
    canvas.roundRect(28, 38, 16, 26, 6, stroke=0, fill=1)
    canvas.line(32, 38, 31, 20)
    canvas.line(40, 38, 41, 20)
    canvas.line(44, 56, 56, 46)  # the arms meet
    canvas.circle(66, 58, 6.5, stroke=0, fill=1)  # child
    canvas.roundRect(60, 32, 12, 20, 5, stroke=0, fill=1)
    canvas.line(63, 32, 62, 20)
    canvas.line(69, 32, 70, 20)
    canvas.line(60, 46, 56, 46)


def _tree(canvas: Canvas, colour: Color) -> None:
    """umwelt: a deciduous tree."""
    canvas.rect(45, 18, 10, 30, stroke=0, fill=1)
    for cx, cy, r in ((50, 62, 18), (36, 52, 13), (64, 52, 13), (50, 48, 12)):
        canvas.circle(cx, cy, r, stroke=0, fill=1)


def _flame(canvas: Canvas, colour: Color) -> None:
    """rettung: a flame (fire brigade, rescue services)."""
    path = canvas.beginPath()
    path.moveTo(50, 18)
    path.curveTo(30, 18, 24, 36, 30, 50)
    path.curveTo(34, 60, 42, 64, 40, 82)
    path.curveTo(52, 74, 56, 66, 56, 58)
    path.curveTo(60, 62, 62, 66, 62, 72)
    path.curveTo(72, 62, 78, 48, 72, 34)
    path.curveTo(68, 24, 60, 18, 50, 18)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(colour)
    inner = canvas.beginPath()
    inner.moveTo(50, 24)
    inner.curveTo(40, 24, 38, 34, 42, 42)
    inner.curveTo(45, 48, 50, 50, 50, 58)
    inner.curveTo(58, 50, 62, 40, 58, 32)
    inner.curveTo(56, 27, 54, 24, 50, 24)
    inner.close()
    canvas.drawPath(inner, stroke=0, fill=1)


def _church(canvas: Canvas, colour: Color) -> None:
    """kirche: a village church with its tower and a cross."""
    _polygon(canvas, [(40, 20), (40, 62), (50, 74), (60, 62), (60, 20)])  # tower
    _polygon(canvas, [(24, 20), (24, 44), (40, 56), (40, 20)])  # nave
    _polygon(canvas, [(60, 20), (60, 56), (76, 44), (76, 20)])
    canvas.setLineWidth(4)
    canvas.setLineCap(0)
    canvas.line(50, 74, 50, 88)
    canvas.line(44, 82, 56, 82)
    canvas.setFillColor(colour)
    canvas.roundRect(45, 20, 10, 16, 5, stroke=0, fill=1)  # the door


def _globe(canvas: Canvas, colour: Color) -> None:
    """integration: a globe of meridians and parallels – people from everywhere."""
    canvas.setLineWidth(4)
    canvas.circle(50, 50, 28, stroke=1, fill=0)
    canvas.ellipse(38, 22, 62, 78, stroke=1, fill=0)
    canvas.line(50, 22, 50, 78)
    canvas.line(22, 50, 78, 50)
    canvas.line(26, 36, 74, 36)
    canvas.line(26, 64, 74, 64)


def _health(canvas: Canvas, colour: Color) -> None:
    """gesundheit: a heart with a cross on it."""
    _heart(canvas, 50, 56, 14)
    canvas.setFillColor(colour)
    canvas.rect(46, 36, 8, 24, stroke=0, fill=1)
    canvas.rect(38, 44, 24, 8, stroke=0, fill=1)


def _village(canvas: Canvas, colour: Color) -> None:
    """dorfleben: two houses side by side."""
    _polygon(canvas, [(18, 24), (18, 50), (34, 64), (50, 50), (50, 24)])
    _polygon(canvas, [(46, 24), (46, 56), (64, 72), (82, 56), (82, 24)])
    canvas.setFillColor(colour)
    canvas.rect(29, 24, 10, 14, stroke=0, fill=1)
    canvas.rect(59, 24, 10, 18, stroke=0, fill=1)
    canvas.rect(72, 46, 6, 6, stroke=0, fill=1)
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(2.5)
    canvas.line(48, 24, 48, 52)  # the gap between the houses


def _ballot(canvas: Canvas, colour: Color) -> None:
    """beteiligung: a ballot paper with a tick going into a ballot box."""
    canvas.roundRect(24, 20, 52, 34, 4, stroke=0, fill=1)
    canvas.setFillColor(colour)
    canvas.rect(36, 50, 28, 4, stroke=0, fill=1)  # the slot
    canvas.setFillColor(white)
    canvas.setStrokeColor(colour)
    canvas.setLineWidth(2)
    canvas.rect(38, 48, 24, 34, stroke=1, fill=1)  # the paper
    canvas.setLineWidth(4)
    path = canvas.beginPath()
    path.moveTo(42, 66)
    path.lineTo(48, 58)
    path.lineTo(58, 76)
    canvas.drawPath(path, stroke=1, fill=0)


def _laptop(canvas: Canvas, colour: Color) -> None:
    """digital: a laptop."""
    canvas.roundRect(28, 38, 44, 32, 3, stroke=0, fill=1)
    canvas.setFillColor(colour)
    canvas.rect(32, 42, 36, 24, stroke=0, fill=1)  # the screen
    canvas.setFillColor(white)
    _polygon(canvas, [(20, 30), (80, 30), (84, 24), (16, 24)])


def _handset(canvas: Canvas, colour: Color) -> None:
    """A telephone handset lying diagonally: earpiece top left, mouthpiece bottom right."""
    canvas.setLineWidth(9)
    path = canvas.beginPath()
    path.moveTo(30, 70)
    path.curveTo(24, 50, 50, 24, 70, 30)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.saveState()
    canvas.translate(33, 69)
    canvas.rotate(-45)
    canvas.roundRect(-11, -6, 22, 12, 5, stroke=0, fill=1)
    canvas.restoreState()
    canvas.saveState()
    canvas.translate(69, 33)
    canvas.rotate(-45)
    canvas.roundRect(-11, -6, 22, 12, 5, stroke=0, fill=1)
    canvas.restoreState()


PICTOGRAMS: dict[str, Draw] = {
    "sport": _ball,
    "kultur": _notes,
    "soziales": _helping_hands,
    "kinder-jugend": _child,
    "umwelt": _tree,
    "rettung": _flame,
    "kirche": _church,
    "integration": _globe,
    "gesundheit": _health,
    "dorfleben": _village,
    "beteiligung": _ballot,
    "digital": _laptop,
}
