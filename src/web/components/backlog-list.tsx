// A ranked backlog as a virtualized grid: only the rows in view are in the DOM, so thousands stay smooth. Rows are
// reordered by dragging their handle (dnd-kit) or from the keyboard: arrows select, Alt+arrows move one step,
// Alt+Shift+arrows (or Alt+Home/End) move to the top or bottom, Enter opens.
import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  MeasuringStrategy,
  type Modifier,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { SortableContext, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { defaultRangeExtractor, type Range, useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import {
  type KeyboardEvent,
  memo,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { iterationName, piName, teamKey } from "../lib/format";
import type { BacklogScope } from "../lib/queries";
import type { MoveTarget } from "../lib/reorder";
import { itemHref, onLinkClick } from "../lib/router";
import type { Art, BacklogRow } from "../lib/types";
import { BlockedBadge, StateBadge, TypeBadge } from "./badges";
import { GripIcon, ToBottomIcon, ToTopIcon } from "./icons";

export const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 32;
const PAGE_ROWS = 10;

interface Props {
  art: Art;
  scope: BacklogScope;
  rows: BacklogRow[];
  selectedKey: string | null;
  openKey: string | null;
  onSelect: (key: string) => void;
  onOpen: (key: string) => void;
  /** Moves a row; without it the list is read-only (no drag handles, no move buttons or keys). */
  onMove: ((key: string, target: MoveTarget) => void) | undefined;
  /** A row to bring into view (e.g. one just created), and the time it was asked for. */
  reveal: { key: string; at: number } | null;
  gridRef: RefObject<HTMLDivElement | null>;
  empty: ReactNode;
}

/** What the drag handle tells screen readers: the keyboard moves rows without dragging. */
const KEYBOARD_INSTRUCTIONS =
  "To move a row, select it and press Alt+Up or Alt+Down; Alt+Shift+Up or Alt+Shift+Down moves it to the top or bottom.";

/** Drags move rows up and down only. */
const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

export function BacklogList(props: Props) {
  const { rows, selectedKey, onSelect, onOpen, onMove, gridRef, scope, art } = props;
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const indexOf = useMemo(() => new Map(keys.map((k, i) => [k, i])), [keys]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const activeIndex = activeKey ? (indexOf.get(activeKey) ?? -1) : -1;
  const follow = useRef(false);

  const virtualizer = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  // The scroll box as state, so the rows render once it exists (the body's effects run before its ref is set).
  const [scrollBox, setScrollBox] = useState<HTMLDivElement | null>(null);
  const scrollRef = useCallback(
    (el: HTMLDivElement | null) => {
      gridRef.current = el;
      setScrollBox(el);
    },
    [gridRef],
  );

  const selectedIndex = selectedKey ? (indexOf.get(selectedKey) ?? -1) : -1;

  // Keep the selected row in view after the keyboard moved the selection or the row.
  useEffect(() => {
    if (follow.current && selectedIndex >= 0) {
      follow.current = false;
      virtualizer.current?.scrollToIndex(selectedIndex, { align: "auto" });
    }
  }, [selectedIndex]);

  const reveal = props.reveal;
  useEffect(() => {
    if (!reveal) return;
    const index = indexOf.get(reveal.key);
    if (index !== undefined) virtualizer.current?.scrollToIndex(index, { align: "auto" });
  }, [reveal, indexOf]);

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));

  const onDragStart = (e: DragStartEvent) => setActiveKey(String(e.active.id));
  const onDragEnd = (e: DragEndEvent) => {
    setActiveKey(null);
    const key = String(e.active.id);
    if (onMove && e.over && e.over.id !== e.active.id) {
      onSelect(key);
      onMove(key, { over: String(e.over.id) });
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableElement>) => {
    // Keys typed into a link or a row's button (e.g. after dragging by the handle) still steer the list, but Enter and
    // Space keep their meaning there.
    const target = e.target as HTMLElement;
    if (rows.length === 0 || target.closest("a, input, textarea, select")) return;
    if (target.closest("button") && (e.key === "Enter" || e.key === " ")) return;
    const up = e.key === "ArrowUp" || e.key === "k";
    const down = e.key === "ArrowDown" || e.key === "j";
    const key = selectedKey && selectedIndex >= 0 ? selectedKey : null;
    const select = (index: number) => {
      const next = rows[Math.max(0, Math.min(rows.length - 1, index))];
      if (next) {
        follow.current = true;
        onSelect(next.key);
      }
    };
    if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown" || e.key === "Home" || e.key === "End")) {
      e.preventDefault();
      if (!key || !onMove) return;
      follow.current = true;
      const toEnd = e.shiftKey || e.key === "Home" || e.key === "End";
      const upward = e.key === "ArrowUp" || e.key === "Home";
      onMove(key, toEnd ? { position: upward ? "top" : "bottom" } : { by: upward ? -1 : 1 });
    } else if (e.metaKey || e.ctrlKey || e.altKey) {
      return;
    } else if (up || down) {
      e.preventDefault();
      select(selectedIndex < 0 ? 0 : selectedIndex + (down ? 1 : -1));
    } else if (e.key === "PageDown" || e.key === "PageUp") {
      e.preventDefault();
      select(Math.max(0, selectedIndex) + (e.key === "PageDown" ? PAGE_ROWS : -PAGE_ROWS));
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      select(e.key === "Home" ? 0 : rows.length - 1);
    } else if (e.key === "Enter" && key) {
      e.preventDefault();
      onOpen(key);
    }
  };

  const activeRow = activeIndex >= 0 ? rows[activeIndex] : undefined;
  const Cells = scope.kind === "program" ? ProgramCells : TeamCells;
  const columns = scope.kind === "program" ? "cols-program" : "cols-team";

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={[verticalOnly]}
      measuring={{ droppable: { strategy: MeasuringStrategy.WhileDragging } }}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActiveKey(null)}
      accessibility={{ screenReaderInstructions: { draggable: KEYBOARD_INSTRUCTIONS } }}
    >
      <div ref={scrollRef} className={`grid ${columns}`}>
        <table
          className="grid-table"
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: ARIA in HTML allows role=grid on a table
          role="grid"
          tabIndex={0}
          aria-label={scope.kind === "program" ? "Program backlog" : "Team backlog"}
          aria-rowcount={rows.length + 1}
          aria-activedescendant={selectedIndex >= 0 ? `row-${selectedKey}` : undefined}
          onKeyDown={onKeyDown}
          data-testid="backlog-grid"
        >
          <HeaderRow scope={scope} />
          <SortableContext items={keys} strategy={verticalListSortingStrategy}>
            <VirtualBody
              rows={rows}
              activeIndex={activeIndex}
              selectedKey={selectedKey}
              openKey={props.openKey}
              onOpen={onOpen}
              onMove={onMove}
              Cells={Cells}
              art={art}
              scrollBox={scrollBox}
              virtualizer={virtualizer}
            />
          </SortableContext>
        </table>
        {rows.length === 0 && <div className="grid-empty">{props.empty}</div>}
      </div>
      <DragOverlay dropAnimation={null}>
        {activeRow ? (
          <table className={`grid-table overlay-table ${columns}`}>
            <tbody>
              <tr className="row is-overlay">
                <td className="cell cell-handle">
                  <GripIcon />
                </td>
                <td className="cell cell-rank">{activeIndex + 1}</td>
                <Cells row={activeRow} art={art} />
                <td className="cell cell-actions" />
              </tr>
            </tbody>
          </table>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

interface BodyProps {
  rows: BacklogRow[];
  activeIndex: number;
  selectedKey: string | null;
  openKey: string | null;
  onOpen: (key: string) => void;
  onMove: ((key: string, target: MoveTarget) => void) | undefined;
  Cells: RowProps["Cells"];
  art: Art;
  scrollBox: HTMLDivElement | null;
  /** Where the list's virtualizer is published, for scrolling a row into view. */
  virtualizer: RefObject<Virtualizer<HTMLDivElement, Element> | null>;
}

/**
 * The rows in view. Scrolling re-renders only this body (not the drag-and-drop context around it), and rows that stay
 * in view do not re-render at all.
 */
const VirtualBody = memo(function VirtualBody(props: BodyProps) {
  const { rows, activeIndex, scrollBox } = props;
  // The dragged row stays rendered even when scrolled out of view, so dnd-kit keeps its node.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex >= 0 && !indexes.includes(activeIndex)) return [...indexes, activeIndex].sort((a, b) => a - b);
      return indexes;
    },
    [activeIndex],
  );
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollBox,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.key ?? i,
    rangeExtractor,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  props.virtualizer.current = virtualizer;
  return (
    <tbody className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((v) => {
        const row = rows[v.index];
        if (!row) return null;
        return (
          <SortableRow
            key={row.key}
            row={row}
            index={v.index}
            top={v.start - HEADER_HEIGHT}
            selected={row.key === props.selectedKey}
            open={row.key === props.openKey}
            onOpen={props.onOpen}
            onMove={props.onMove}
            Cells={props.Cells}
            art={props.art}
          />
        );
      })}
    </tbody>
  );
});

function HeaderRow({ scope }: { scope: BacklogScope }) {
  const program = scope.kind === "program";
  const childLabel = program && scope.level === "feature" ? "Stories" : "Children";
  return (
    <thead>
      <tr className="row row-header" aria-rowindex={1}>
        <th scope="col" className="cell cell-handle">
          <span className="visually-hidden">Drag handle</span>
        </th>
        <th scope="col" className="cell cell-rank" title="Rank">
          #
        </th>
        <th scope="col" className="cell cell-key">
          Key
        </th>
        <th scope="col" className="cell cell-title">
          Title
        </th>
        {program ? (
          <>
            <th scope="col" className="cell cell-type">
              Type
            </th>
            <th scope="col" className="cell cell-state">
              State
            </th>
            <th scope="col" className="cell cell-pi">
              PI
            </th>
            <th scope="col" className="cell cell-teams">
              Teams
            </th>
            <th scope="col" className="cell cell-num">
              {childLabel}
            </th>
            <th scope="col" className="cell cell-num" title="Story points of the children">
              Points
            </th>
          </>
        ) : (
          <>
            <th scope="col" className="cell cell-num" title="Story points">
              Pts
            </th>
            <th scope="col" className="cell cell-state">
              State
            </th>
            <th scope="col" className="cell cell-iter" title="Iteration">
              Iter.
            </th>
            <th scope="col" className="cell cell-parent">
              Parent feature
            </th>
          </>
        )}
        <th scope="col" className="cell cell-actions">
          <span className="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

interface RowProps {
  row: BacklogRow;
  index: number;
  top: number;
  selected: boolean;
  open: boolean;
  onOpen: (key: string) => void;
  onMove: ((key: string, target: MoveTarget) => void) | undefined;
  /** The level's cells, between the rank and the row's actions. */
  Cells: (props: { row: BacklogRow; art: Art }) => ReactNode;
  art: Art;
}

const SortableRow = memo(function SortableRow(props: RowProps) {
  const { row, index, top, selected, open, onOpen, onMove, Cells, art } = props;
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: row.key,
    disabled: !onMove,
  });
  const classes = ["row", selected && "is-selected", open && "is-open", isDragging && "is-dragging"];
  return (
    <tr
      ref={setNodeRef}
      id={`row-${row.key}`}
      className={classes.filter(Boolean).join(" ")}
      style={{ top, transform: CSS.Translate.toString(transform), transition }}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="backlog-row"
      data-key={row.key}
      onClick={() => onOpen(row.key)}
    >
      <td className="cell cell-handle">
        {onMove && (
          <button
            type="button"
            ref={setActivatorNodeRef}
            className="drag-handle"
            data-testid="drag-handle"
            {...attributes}
            {...listeners}
            tabIndex={-1}
            aria-label={`Drag ${row.key} to another rank`}
            onClick={(e) => e.stopPropagation()}
          >
            <GripIcon />
          </button>
        )}
      </td>
      <td className="cell cell-rank">{index + 1}</td>
      <Cells row={row} art={art} />
      <td className="cell cell-actions">{onMove && <MoveButtons rowKey={row.key} onMove={onMove} />}</td>
    </tr>
  );
});

function MoveButtons({ rowKey, onMove }: { rowKey: string; onMove: (key: string, target: MoveTarget) => void }) {
  return (
    <>
      <button
        type="button"
        className="icon-button"
        title="Move to top (Alt+Shift+↑)"
        aria-label={`Move ${rowKey} to the top`}
        data-testid="move-top"
        tabIndex={-1}
        onClick={(e) => {
          e.stopPropagation();
          onMove(rowKey, { position: "top" });
        }}
      >
        <ToTopIcon />
      </button>
      <button
        type="button"
        className="icon-button"
        title="Move to bottom (Alt+Shift+↓)"
        aria-label={`Move ${rowKey} to the bottom`}
        data-testid="move-bottom"
        tabIndex={-1}
        onClick={(e) => {
          e.stopPropagation();
          onMove(rowKey, { position: "bottom" });
        }}
      >
        <ToBottomIcon />
      </button>
    </>
  );
}

function ProgramCells({ row, art }: { row: BacklogRow; art: Art }) {
  const teams = row.teamIds.map((id) => teamKey(art, id));
  return (
    <>
      <td className="cell cell-key">{row.key}</td>
      <td className="cell cell-title" title={row.title}>
        <BlockedBadge reason={row.blockedReason} />
        <span className="title-text" data-testid="row-title">
          {row.title}
        </span>
        {row.labels.slice(0, 2).map((l) => (
          <span key={l} className="label-chip">
            {l}
          </span>
        ))}
      </td>
      <td className="cell cell-type">
        <TypeBadge type={row.type} enablerKind={row.enablerKind} />
      </td>
      <td className="cell cell-state">
        <StateBadge state={row.state} />
      </td>
      <td className="cell cell-pi">{piName(art, row.piId) || <span className="muted">—</span>}</td>
      <td className="cell cell-teams" title={teams.join(", ")}>
        {teams.length === 0 && <span className="muted">—</span>}
        {teams.slice(0, 3).map((t) => (
          <span key={t} className="team-chip">
            {t}
          </span>
        ))}
        {teams.length > 3 && <span className="muted">+{teams.length - 3}</span>}
      </td>
      <td className="cell cell-num">{row.childCount || <span className="muted">0</span>}</td>
      <td className="cell cell-num">{row.childPoints || <span className="muted">0</span>}</td>
    </>
  );
}

function TeamCells({ row, art }: { row: BacklogRow; art: Art }) {
  return (
    <>
      <td className="cell cell-key">{row.key}</td>
      <td className="cell cell-title" title={row.title}>
        {row.type !== "business" && <TypeBadge type={row.type} enablerKind={row.enablerKind} />}
        <BlockedBadge reason={row.blockedReason} />
        <span className="title-text" data-testid="row-title">
          {row.title}
        </span>
      </td>
      <td className="cell cell-num">{row.points ?? <span className="muted">–</span>}</td>
      <td className="cell cell-state">
        <StateBadge state={row.state} />
      </td>
      <td className="cell cell-iter" title={iterationName(art, row.iterationId)}>
        {iterationName(art, row.iterationId, true) || <span className="muted">—</span>}
      </td>
      <td className="cell cell-parent">
        {row.parentKey ? (
          <a
            href={itemHref(row.parentKey)}
            className="parent-link"
            data-testid="parent-link"
            title={`${row.parentKey} ${row.parentTitle ?? ""}`}
            onClick={(e) => {
              e.stopPropagation();
              onLinkClick(e);
            }}
          >
            <span className="key">{row.parentKey}</span>
            <span className="parent-title">{row.parentTitle}</span>
          </a>
        ) : (
          <span className="muted">No parent</span>
        )}
      </td>
    </>
  );
}
