// The one place that names vendored versions: views import Preact + htm from here.
export {
  html,
  render,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from '/vendor/htm-3.1.1/preact/standalone.module.js';
