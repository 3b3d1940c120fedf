import { createContext, useContext } from "react";
import type { LiveStatus } from "./connection";

export const LiveStatusContext = createContext<LiveStatus>({ state: "connecting" });

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
