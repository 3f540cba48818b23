/** A connection type's icon, as its descriptor names it. */
import type { SvgIconProps } from '@mui/material';
import LoginIcon from '@mui/icons-material/Login';
import KeyIcon from '@mui/icons-material/VpnKeyOutlined';
import BadgeIcon from '@mui/icons-material/BadgeOutlined';
import LanIcon from '@mui/icons-material/LanOutlined';
import PersonIcon from '@mui/icons-material/PersonOutline';
import DevicesIcon from '@mui/icons-material/DevicesOutlined';
import SwapIcon from '@mui/icons-material/SwapHoriz';
import TokenIcon from '@mui/icons-material/TokenOutlined';
import type { ComponentType } from 'react';
import { descriptorOfType, type ConnectionType } from '../../../shared/connection.js';
import type { TypeIcon as IconName } from '../../../shared/connection-types/ui.js';

const ICONS: Record<IconName, ComponentType<SvgIconProps>> = {
  login: LoginIcon,
  key: KeyIcon,
  badge: BadgeIcon,
  lan: LanIcon,
  person: PersonIcon,
  devices: DevicesIcon,
  swap: SwapIcon,
  token: TokenIcon,
};

export function TypeIcon({ type, ...props }: { type: ConnectionType } & SvgIconProps) {
  const Icon = ICONS[descriptorOfType(type).ui.icon];
  return <Icon fontSize="small" {...props} />;
}
