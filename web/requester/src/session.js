import { createContext, useContext } from 'react';

// {me: User, refreshMe: () => Promise, setNotice: (text) => void}
export const SessionContext = createContext(null);
export const useSession = () => useContext(SessionContext);
