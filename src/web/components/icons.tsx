// The few icons the app uses, as inline SVG components (no icon font, nothing fetched).
import type { SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

function Svg({ children, ...props }: IconProps) {
  return (
    <svg
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const GripIcon = (p: IconProps) => (
  <Svg {...p} stroke="none" fill="currentColor">
    <circle cx="6" cy="4" r="1.1" />
    <circle cx="10" cy="4" r="1.1" />
    <circle cx="6" cy="8" r="1.1" />
    <circle cx="10" cy="8" r="1.1" />
    <circle cx="6" cy="12" r="1.1" />
    <circle cx="10" cy="12" r="1.1" />
  </Svg>
);
export const ToTopIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 3h8M8 13V6M5 9l3-3 3 3" />
  </Svg>
);
export const ToBottomIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 13h8M8 3v7M5 7l3 3 3-3" />
  </Svg>
);
export const CloseIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 4l8 8M12 4l-8 8" />
  </Svg>
);
export const PlusIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 3v10M3 8h10" />
  </Svg>
);
export const SearchIcon = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="7" cy="7" r="4" />
    <path d="M10 10l3 3" />
  </Svg>
);
export const ChevronIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M6 4l4 4-4 4" />
  </Svg>
);
export const ArrowUpIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 13V3M4 7l4-4 4 4" />
  </Svg>
);
export const ArrowDownIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 3v10M4 9l4 4 4-4" />
  </Svg>
);
export const TrainIcon = (p: IconProps) => (
  <Svg {...p} viewBox="0 0 32 32" width="22" height="22" strokeWidth="2.2">
    <path d="M7 21h18M9 21v-7h14v7M12 14v-4h8v4" />
    <circle cx="11" cy="25" r="1.6" />
    <circle cx="21" cy="25" r="1.6" />
  </Svg>
);
